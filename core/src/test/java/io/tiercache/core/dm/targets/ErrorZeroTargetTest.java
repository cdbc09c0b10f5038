package io.tiercache.core.dm.targets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tiercache.core.dm.Bio;
import io.tiercache.core.dm.DmException;
import io.tiercache.core.dm.Target;
import io.tiercache.core.dm.TargetException;
import io.tiercache.spi.block.BlockIoException;
import io.tiercache.spi.block.Errno;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ErrorZeroTargetTest {
    @TempDir
    Path dir;

    private final FileContext ctx = new FileContext(8);

    @AfterEach
    void closeDevices() {
        ctx.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "anything", "a b c", "/no/such/file 0 extra"})
    void errorTargetAcceptsAnyArgumentCountButTwo(String args) throws Exception {
        assertThat(ctx.build(new ErrorTarget.Type(), args)).isNotNull();
    }

    @Test
    void errorTargetWithTwoArgumentsChecksSectorThenDevice() throws Exception {
        Path file = FileContext.patterned(dir, "dev", 8192);
        assertThat(ctx.build(new ErrorTarget.Type(), file + " 0")).isNotNull();
        assertCtrError(new ErrorTarget.Type(), "/no/such/file x", "Invalid device sector");
        assertCtrError(new ErrorTarget.Type(), "/no/such/file 0", "Device lookup failed");
        assertThatThrownBy(() -> ctx.build(new ErrorTarget.Type(), file + " 9"))
                .isInstanceOf(DmException.class)
                .hasMessageContaining("too small for target");
    }

    @Test
    void errorTargetFailsEveryRequestButFlushWithEio() throws Exception {
        Target t = ctx.build(new ErrorTarget.Type(), "");
        ByteBuffer buf = ByteBuffer.allocate(512);
        assertEio(t, Bio.read(buf, 0));
        assertEio(t, Bio.write(buf, 512, 0));
        assertEio(t, new Bio(Bio.Op.DISCARD, 0, 4096, null, 0));
        assertEio(t, new Bio(Bio.Op.WRITE_ZEROES, 0, 4096, null, 0));
        // dm core sends no flush to a target that asks for none; the flush just succeeds.
        t.map(Bio.flush());
    }

    @Test
    void zeroTargetRefusesArguments() {
        assertCtrError(new ZeroTarget.Type(), "x", "No arguments required");
        assertCtrError(new ZeroTarget.Type(), "0 0", "No arguments required");
    }

    @Test
    void zeroTargetReadsZeroesAndDropsWrites() throws Exception {
        Target t = ctx.build(new ZeroTarget.Type(), "");
        t.map(Bio.write(FileContext.filled(4096, (byte) 7), 0, 0));
        t.map(new Bio(Bio.Op.DISCARD, 0, 4096, null, 0));
        t.map(new Bio(Bio.Op.WRITE_ZEROES, 0, 4096, null, 0));
        t.map(Bio.flush());

        byte[] raw = new byte[4096 + 3];
        Arrays.fill(raw, (byte) 9);
        ByteBuffer dst = ByteBuffer.wrap(raw, 1, 4096 + 1);
        t.map(Bio.read(dst, 0));
        assertThat(dst.position()).as("a target leaves the position alone").isEqualTo(1);
        assertThat(Arrays.copyOfRange(raw, 1, 4096 + 2)).containsOnly(0);
        assertThat(raw[0]).as("nothing before the position").isEqualTo((byte) 9);
        assertThat(raw[4096 + 2]).as("nothing past the limit").isEqualTo((byte) 9);

        ByteBuffer direct = ByteBuffer.allocateDirect(1024).put(0, FileContext.filled(1024, (byte) 3), 0, 1024);
        t.map(Bio.read(direct, 0));
        for (int i = 0; i < 1024; i++) {
            assertThat(direct.get(i)).isZero();
        }
    }

    private void assertCtrError(io.tiercache.core.dm.TargetType type, String args, String error) {
        assertThatThrownBy(() -> ctx.build(type, args))
                .isInstanceOf(TargetException.class)
                .hasMessage(error);
    }

    static void assertEio(Target t, Bio bio) {
        assertThatThrownBy(() -> t.map(bio))
                .isInstanceOfSatisfying(BlockIoException.class, e -> assertThat(e.errno()).isEqualTo(Errno.EIO));
    }
}
