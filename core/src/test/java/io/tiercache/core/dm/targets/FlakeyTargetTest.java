package io.tiercache.core.dm.targets;

import static io.tiercache.core.dm.targets.ErrorZeroTargetTest.assertEio;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tiercache.core.dm.Bio;
import io.tiercache.core.dm.DmException;
import io.tiercache.core.dm.Target;
import io.tiercache.core.dm.TargetException;
import io.tiercache.spi.block.BlockIo;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FlakeyTargetTest {
    private static final long SECOND = 1_000_000_000L;
    /** The target starts 4 KiB (8 sectors) into the file and is 64 KiB long. */
    private static final int START = 4096;
    private static final int LEN = 65536;

    @TempDir
    Path dir;

    private final AtomicLong now = new AtomicLong(1_000 * SECOND);
    private final FlakeyTarget.Type type = new FlakeyTarget.Type(now::get);
    private final FileContext ctx = new FileContext(LEN / 512);
    private Path file;

    @BeforeEach
    void createFile() throws Exception {
        file = FileContext.patterned(dir, "dev", START + LEN);
    }

    @AfterEach
    void closeDevices() {
        ctx.close();
    }

    /** up 2 s, down 3 s: seconds 0-1 up, 2-4 down, 5-6 up again. */
    private Target flakey(String features) throws Exception {
        return ctx.build(type, file + " 8 2 3 " + features);
    }

    private void at(double seconds, long base) {
        now.set(base + (long) (seconds * SECOND));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "F 0 1| Invalid argument count",
        "F x 1 1| Invalid device sector",
        "F -1 1 1| Invalid device sector",
        "F 0 -1 1| Invalid up interval",
        "F 0 4294967296 1| Invalid up interval",
        "F 0 1 1x| Invalid down interval",
        "F 0 0 0| Total (up + down) interval is zero",
        "F 0 4294967295 1| Total (up + down) interval is zero",
        "F 0 4294967295 2| Interval overflow",
        "F 0 1 1 x| Invalid number of feature args",
        "F 0 1 1 12 a b c d e f g h i j k l| Invalid number of feature args",
        "F 0 1 1 2 drop_writes| Invalid number of feature args",
        "F 0 1 1 1 bogus| Unrecognised flakey feature requested",
        "F 0 1 1 2 drop_writes drop_writes| Feature drop_writes duplicated",
        "F 0 1 1 2 error_writes error_writes| Feature error_writes duplicated",
        "F 0 1 1 2 error_reads ERROR_READS| Feature error_reads duplicated",
        "F 0 1 1 2 error_writes drop_writes| Feature drop_writes conflicts with feature error_writes",
        "F 0 1 1 2 drop_writes error_writes| Feature error_writes conflicts with feature drop_writes",
        "F 0 1 1 4 corrupt_bio_byte 1 r 1| Feature corrupt_bio_byte requires 4 parameters",
        "F 0 1 1 5 corrupt_bio_byte 0 r 1 0| Invalid corrupt bio byte",
        "F 0 1 1 5 corrupt_bio_byte 1 x 1 0| Invalid corrupt bio direction (r or w)",
        "F 0 1 1 5 corrupt_bio_byte 1 r 256 0| Invalid corrupt value to write into bio byte (0-255)",
        "F 0 1 1 5 corrupt_bio_byte 1 r 1 4294967296| Invalid corrupt bio flags mask",
        "F 0 1 1 10 corrupt_bio_byte 1 r 1 0 corrupt_bio_byte 2 w 1 0| Feature corrupt_bio_byte duplicated",
        "F 0 1 1 1 random_read_corrupt| Feature random_read_corrupt requires a parameter",
        "F 0 1 1 2 random_write_corrupt 1000000001| Invalid random corrupt argument",
        "F 0 1 1 4 random_read_corrupt 1 random_read_corrupt 1| Feature random_read_corrupt duplicated",
        "F 0 1 1 6 drop_writes corrupt_bio_byte 1 w 1 0| drop_writes is incompatible with random_write_corrupt"
                + " or corrupt_bio_byte with the WRITE flag set",
        "F 0 1 1 3 error_writes random_write_corrupt 5| error_writes is incompatible with random_write_corrupt"
                + " or corrupt_bio_byte with the WRITE flag set",
        "F 0 1 1 6 error_reads corrupt_bio_byte 1 r 1 0| error_reads is incompatible with random_read_corrupt"
                + " or corrupt_bio_byte with the READ flag set",
        "/no/such/file 0 1 1| Device lookup failed",
    })
    void ctrRefusals(String args, String error) {
        assertThatThrownBy(() -> ctx.build(type, args.startsWith("F ") ? file + args.substring(1) : args))
                .isInstanceOf(TargetException.class)
                .hasMessage(error);
    }

    @Test
    void deviceTooSmallIsATableRefusal() {
        assertThatThrownBy(() -> ctx.build(type, file + " 9 1 1"))
                .isInstanceOf(DmException.class)
                .hasMessageContaining("too small for target");
    }

    @Test
    void acceptsKernelQuirks() throws Exception {
        // Case-insensitive feature names, an empty group, and words past the group are all accepted.
        assertThat(flakey("1 DROP_WRITES")).isNotNull();
        assertThat(flakey("0")).isNotNull();
        assertThat(flakey("1 error_reads trailing words")).isNotNull();
        assertThat(flakey("6 error_reads corrupt_bio_byte 1 W 1 0")).isNotNull();
    }

    @Test
    void noFeaturesFailsEverythingWhileDownOnly() throws Exception {
        long base = now.get();
        Target t = flakey("");
        assertThat(t.status()).isEmpty();
        at(1.9, base);
        assertThat(read(t, 0, 512)).isEqualTo(FileContext.fileBytes(file, START, 512));
        t.map(Bio.write(FileContext.filled(512, (byte) 5), 0, 0));
        t.map(Bio.flush());

        at(2.0, base);
        assertEio(t, Bio.read(ByteBuffer.allocate(512), 0));
        assertEio(t, Bio.write(FileContext.filled(512, (byte) 6), 512, 0));
        assertEio(t, Bio.flush());
        assertEio(t, new Bio(Bio.Op.DISCARD, 0, 4096, null, 0));

        at(5.0, base);
        assertThat(read(t, 0, 512)).containsOnly(5);
        assertThat(read(t, 512, 512)).isEqualTo(FileContext.fileBytes(file, START + 512, 512));
    }

    @Test
    void errorReadsFailsReadsButWritesGoThrough() throws Exception {
        long base = now.get();
        Target t = flakey("1 error_reads");
        at(3, base);
        assertEio(t, Bio.read(ByteBuffer.allocate(512), 0));
        t.map(Bio.write(FileContext.filled(512, (byte) 8), 1024, 0));
        t.map(Bio.flush());
        assertThat(FileContext.fileBytes(file, START + 1024, 512)).containsOnly(8);
    }

    @Test
    void dropWritesDropsWritesSilentlyAndReadsSucceed() throws Exception {
        long base = now.get();
        Target t = flakey("1 drop_writes");
        at(4.99, base);
        t.map(Bio.write(FileContext.filled(512, (byte) 9), 0, BlockIo.FUA));
        t.map(new Bio(Bio.Op.WRITE_ZEROES, 512, 512, null, 0));
        t.map(Bio.flush());
        assertThat(read(t, 0, 1024)).isEqualTo(FileContext.fileBytes(file, START, 1024));
    }

    @Test
    void errorWritesFailsWritesAndReadsSucceed() throws Exception {
        long base = now.get();
        Target t = flakey("1 error_writes");
        byte[] disk = FileContext.fileBytes(file, START, 512);
        at(2.5, base);
        assertEio(t, Bio.write(FileContext.filled(512, (byte) 9), 0, 0));
        assertEio(t, Bio.flush());
        assertThat(read(t, 0, 512)).isEqualTo(disk);
        assertThat(FileContext.fileBytes(file, START, 512)).isEqualTo(disk);
    }

    @Test
    void corruptBioByteOnReadsChangesOnlyWhatTheCallerGets() throws Exception {
        long base = now.get();
        Target t = flakey("5 corrupt_bio_byte 5 r 0 0");
        byte[] disk = FileContext.fileBytes(file, START, 1024);
        assertThat(read(t, 0, 1024)).isEqualTo(disk);

        at(2, base);
        byte[] got = read(t, 0, 1024);
        assertThat(got[4]).isZero();
        got[4] = disk[4];
        assertThat(got).isEqualTo(disk);
        // Writes pass untouched while down when only reads are corrupted.
        t.map(Bio.write(FileContext.filled(512, (byte) 4), 2048, 0));
        assertThat(FileContext.fileBytes(file, START + 2048, 512)).containsOnly(4);
        assertThat(FileContext.fileBytes(file, START, 1024)).isEqualTo(disk);
    }

    @Test
    void corruptBioByteOnWritesCorruptsTheDeviceNotTheCallersBuffer() throws Exception {
        long base = now.get();
        Target t = flakey("5 corrupt_bio_byte 3 w 7 0");
        at(2, base);
        ByteBuffer src = FileContext.filled(512, (byte) 1);
        t.map(Bio.write(src, 512, 0));
        assertThat(src.array()).containsOnly(1);
        byte[] disk = FileContext.fileBytes(file, START + 512, 512);
        assertThat(disk[2]).isEqualTo((byte) 7);
        disk[2] = 1;
        assertThat(disk).containsOnly(1);
        // Reads are not corrupted when only writes are.
        assertThat(read(t, 0, 512)).isEqualTo(FileContext.fileBytes(file, START, 512));
    }

    @Test
    void corruptBioByteFlagsMaskSelectsRequests() throws Exception {
        long base = now.get();
        // 131072 is the kernel's REQ_FUA bit: only FUA writes are corrupted.
        Target t = flakey("5 corrupt_bio_byte 1 w 200 131072");
        at(2, base);
        t.map(Bio.write(FileContext.filled(512, (byte) 1), 0, 0));
        t.map(Bio.write(FileContext.filled(512, (byte) 1), 512, BlockIo.FUA));
        assertThat(FileContext.fileBytes(file, START, 512)).containsOnly(1);
        assertThat(FileContext.fileBytes(file, START + 512, 1)).containsExactly((byte) 200);
    }

    @Test
    void corruptByteBeyondTheRequestChangesNothing() throws Exception {
        long base = now.get();
        Target t = flakey("5 corrupt_bio_byte 600 r 0 0");
        at(2, base);
        assertThat(read(t, 0, 512)).isEqualTo(FileContext.fileBytes(file, START, 512));
    }

    @Test
    void randomCorruptionAtCertaintyChangesAtMostOneByte() throws Exception {
        long base = now.get();
        Target t = flakey("2 random_read_corrupt 1000000000");
        at(2, base);
        byte[] disk = FileContext.fileBytes(file, START, 4096);
        byte[] got = read(t, 0, 4096);
        int differing = 0;
        for (int i = 0; i < got.length; i++) {
            differing += got[i] != disk[i] ? 1 : 0;
        }
        assertThat(differing).isLessThanOrEqualTo(1);
    }

    private static byte[] read(Target t, long offset, int len) throws Exception {
        ByteBuffer dst = ByteBuffer.allocate(len);
        t.map(Bio.read(dst, offset));
        return dst.array();
    }
}
