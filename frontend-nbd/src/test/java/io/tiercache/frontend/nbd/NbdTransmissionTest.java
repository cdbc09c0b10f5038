package io.tiercache.frontend.nbd;

import static io.tiercache.frontend.nbd.NbdConstants.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.tiercache.frontend.nbd.RawClient.Reply;
import io.tiercache.spi.block.BlockIoException;
import io.tiercache.spi.block.Errno;
import java.io.IOException;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Commands and their error handling, over a plain socket. */
class NbdTransmissionTest extends ServerFixture {
    static final int SIZE = 1 << 20;
    private TestDevice disk;
    private TestDevice ro;

    @BeforeEach
    void setUp() throws Exception {
        disk = exports.add(new TestDevice("disk", SIZE));
        ro = exports.add(new TestDevice("ro", 64 << 10, true));
        start();
    }

    private RawClient connect(String export) throws Exception {
        RawClient c = client().handshake();
        c.go(export);
        return c;
    }

    @Test
    void writeThenReadBack() throws Exception {
        byte[] data = random(4096, 1);
        try (RawClient c = connect("disk")) {
            c.write(1, 8192, data);
            assertThat(c.readReply()).isEqualTo(new Reply(0, 1));
            assertThat(Arrays.copyOfRange(disk.data(), 8192, 8192 + 4096)).isEqualTo(data);
            c.request(0, CMD_READ, 2, 8192, 4096);
            assertThat(c.readReply()).isEqualTo(new Reply(0, 2));
            assertThat(c.readData(4096)).isEqualTo(data);
            // The cookie is echoed untouched, whatever its bits.
            c.request(0, CMD_READ, 0xdeadbeefcafef00dL, 0, 1);
            assertThat(c.readReply()).isEqualTo(new Reply(0, 0xdeadbeefcafef00dL));
            c.readData(1);
        }
    }

    @Test
    void outOfRangeRequestsFailAndTheConnectionStaysUsable() throws Exception {
        try (RawClient c = connect("disk")) {
            c.request(0, CMD_READ, 1, SIZE - 512, 1024);
            assertThat(c.readReply()).isEqualTo(new Reply(EINVAL, 1));
            c.write(2, SIZE - 512, new byte[1024]); // payload still sent, and must be drained
            assertThat(c.readReply()).isEqualTo(new Reply(ENOSPC, 2));
            c.request(0, CMD_WRITE_ZEROES, 3, SIZE, 512);
            assertThat(c.readReply()).isEqualTo(new Reply(ENOSPC, 3));
            c.request(0, CMD_TRIM, 4, SIZE + 4096, 512);
            assertThat(c.readReply()).isEqualTo(new Reply(EINVAL, 4));
            c.request(0, CMD_CACHE, 5, SIZE - 1, 2);
            assertThat(c.readReply()).isEqualTo(new Reply(EINVAL, 5));
            // An offset that a signed long shows as negative, and one whose sum wraps around.
            c.request(0, CMD_READ, 6, 0xFFFF_FFFF_FFFF_F000L, 4096);
            assertThat(c.readReply()).isEqualTo(new Reply(EINVAL, 6));
            c.request(0, CMD_READ, 7, 0x7FFF_FFFF_FFFF_FFFFL, 0xFFFF_FFFFL);
            assertThat(c.readReply()).isEqualTo(new Reply(EINVAL, 7));
            c.request(0, CMD_READ, 8, SIZE - 512, 512); // exactly up to the end is fine
            assertThat(c.readReply()).isEqualTo(new Reply(0, 8));
            c.readData(512);
        }
    }

    @Test
    void unknownCommandsAndFlagsAreEinval() throws Exception {
        try (RawClient c = connect("disk")) {
            c.request(0, 42, 1, 0, 512);
            assertThat(c.readReply()).isEqualTo(new Reply(EINVAL, 1));
            c.request(0, 7, 2, 0, 512); // BLOCK_STATUS: no structured replies negotiated
            assertThat(c.readReply()).isEqualTo(new Reply(EINVAL, 2));
            c.request(1 << 9, CMD_READ, 3, 0, 512);
            assertThat(c.readReply()).isEqualTo(new Reply(EINVAL, 3));
            c.request(CMD_FLAG_NO_HOLE, CMD_READ, 4, 0, 512); // a flag that does not apply to READ
            assertThat(c.readReply()).isEqualTo(new Reply(EINVAL, 4));
            c.request(CMD_FLAG_FUA, CMD_READ, 5, 0, 512); // FUA is accepted everywhere
            assertThat(c.readReply()).isEqualTo(new Reply(0, 5));
            c.readData(512);
        }
    }

    @Test
    void zeroLengthRequestsAreRefusedWithoutDisconnecting() throws Exception {
        try (RawClient c = connect("disk")) {
            c.request(0, CMD_READ, 1, 0, 0);
            assertThat(c.readReply()).isEqualTo(new Reply(EINVAL, 1));
            c.request(0, CMD_WRITE, 2, 0, 0);
            assertThat(c.readReply()).isEqualTo(new Reply(EINVAL, 2));
            c.request(0, CMD_READ, 3, 0, 16);
            assertThat(c.readReply()).isEqualTo(new Reply(0, 3));
            c.readData(16);
        }
    }

    @Test
    void oversizeRequestsAreEinvalAndAnOversizeWritePayloadIsDrained() throws Exception {
        exports.add(new TestDevice("big", 64 << 20));
        try (RawClient c = connect("big")) {
            c.request(0, CMD_READ, 1, 0, 64 << 20);
            assertThat(c.readReply()).isEqualTo(new Reply(EINVAL, 1));
            c.write(2, 0, new byte[(32 << 20) + 4096]);
            assertThat(c.readReply()).isEqualTo(new Reply(EINVAL, 2));
            byte[] max = random(32 << 20, 3); // exactly the maximum must work
            c.write(3, 0, max);
            assertThat(c.readReply()).isEqualTo(new Reply(0, 3));
            c.request(0, CMD_READ, 4, 0, 32 << 20);
            assertThat(c.readReply()).isEqualTo(new Reply(0, 4));
            assertThat(c.readData(32 << 20)).isEqualTo(max);
            c.request(0, CMD_WRITE_ZEROES, 5, 0, 48 << 20); // no payload: no 32 MiB cap
            assertThat(c.readReply()).isEqualTo(new Reply(0, 5));
        }
    }

    @Test
    void flushFuaTrimZeroesAndCache() throws Exception {
        Arrays.fill(disk.data(), (byte) 7);
        try (RawClient c = connect("disk")) {
            c.request(0, CMD_FLUSH, 1, 0, 0);
            assertThat(c.readReply()).isEqualTo(new Reply(0, 1));
            assertThat(disk.flushes()).isEqualTo(1);
            c.requestHeader(CMD_FLAG_FUA, CMD_WRITE, 2, 0, 512);
            c.out.write(new byte[512]);
            c.out.flush();
            assertThat(c.readReply()).isEqualTo(new Reply(0, 2));
            assertThat(disk.fuaWrites()).isEqualTo(1);
            c.request(0, CMD_TRIM, 3, 4096, 4096);
            assertThat(c.readReply()).isEqualTo(new Reply(0, 3));
            c.request(CMD_FLAG_NO_HOLE, CMD_WRITE_ZEROES, 4, 65536, 8192);
            assertThat(c.readReply()).isEqualTo(new Reply(0, 4));
            assertThat(Arrays.copyOfRange(disk.data(), 65536, 65536 + 8192)).containsOnly(0);
            assertThat(disk.data()[65536 + 8192]).isEqualTo((byte) 7);
            c.request(CMD_FLAG_FAST_ZERO, CMD_WRITE_ZEROES, 5, 0, 4096);
            assertThat(c.readReply()).isEqualTo(new Reply(ENOTSUP, 5));
            assertThat(disk.data()[0]).isEqualTo((byte) 0); // from the FUA write, not the fast zero
            assertThat(disk.data()[600]).isEqualTo((byte) 7);
            c.request(0, CMD_CACHE, 6, 0, SIZE);
            assertThat(c.readReply()).isEqualTo(new Reply(0, 6));
        }
    }

    @Test
    void readOnlyExportRefusesChanges() throws Exception {
        try (RawClient c = connect("ro")) {
            c.write(1, 0, new byte[512]);
            assertThat(c.readReply()).isEqualTo(new Reply(EPERM, 1));
            c.request(0, CMD_TRIM, 2, 0, 512);
            assertThat(c.readReply()).isEqualTo(new Reply(EPERM, 2));
            c.request(0, CMD_WRITE_ZEROES, 3, 0, 512);
            assertThat(c.readReply()).isEqualTo(new Reply(EPERM, 3));
            c.request(0, CMD_READ, 4, 0, 512);
            assertThat(c.readReply()).isEqualTo(new Reply(0, 4));
            c.readData(512);
        }
    }

    @Test
    void deviceErrorsAreMappedToProtocolErrors() throws Exception {
        try (RawClient c = connect("disk")) {
            Object[][] cases = {
                {new BlockIoException(Errno.ENOSPC, "full"), ENOSPC},
                {new BlockIoException(Errno.EROFS, "ro"), EPERM},
                {new BlockIoException(Errno.EFBIG, "big"), ENOSPC},
                {new BlockIoException(Errno.ETIMEDOUT, "slow"), EIO},
                {new BlockIoException(Errno.ESHUTDOWN, "going"), ESHUTDOWN},
                {new IOException("disk on fire"), EIO},
            };
            long cookie = 1;
            for (Object[] k : cases) {
                disk.failWith((IOException) k[0]);
                c.request(0, CMD_READ, cookie, 0, 4096);
                assertThat(c.readReply()).as("%s", k[0]).isEqualTo(new Reply((int) k[1], cookie));
                c.write(cookie + 1, 0, new byte[512]);
                assertThat(c.readReply()).isEqualTo(new Reply((int) k[1], cookie + 1));
                cookie += 2;
            }
            disk.failWith(null);
            c.request(0, CMD_READ, 99, 0, 4096);
            assertThat(c.readReply()).isEqualTo(new Reply(0, 99));
            c.readData(4096);
        }
    }

    @Test
    void pipelinedRequestsAreAllAnswered() throws Exception {
        byte[] data = random(SIZE, 9);
        System.arraycopy(data, 0, disk.data(), 0, SIZE);
        try (RawClient c = connect("disk")) {
            int n = 1000; // far past the back-pressure high-water mark
            for (int i = 0; i < n; i++) {
                c.requestHeader(0, CMD_READ, i, (long) (i % 256) * 4096, 4096);
            }
            c.out.flush();
            Set<Long> seen = new HashSet<>();
            for (int i = 0; i < n; i++) {
                Reply r = c.readReply();
                assertThat(r.error()).isZero();
                int block = (int) (r.cookie() % 256);
                assertThat(c.readData(4096)).isEqualTo(Arrays.copyOfRange(data, block * 4096, block * 4096 + 4096));
                seen.add(r.cookie());
            }
            assertThat(seen).hasSize(n);
        }
    }

    @Test
    void discFinishesWhatIsInFlightThenCloses() throws Exception {
        byte[] data = random(65536, 4);
        try (RawClient c = connect("disk")) {
            c.write(1, 0, data);
            c.request(0, CMD_DISC, 2, 0, 0);
            assertThat(c.readReply()).isEqualTo(new Reply(0, 1));
            assertThat(c.closedByServer()).isTrue();
        }
        assertThat(Arrays.copyOf(disk.data(), 65536)).isEqualTo(data);
        await("export released", java.time.Duration.ofSeconds(5), () -> disk.openCount() == 0);
    }

    @Test
    void badRequestMagicDisconnects() throws Exception {
        try (RawClient c = connect("disk")) {
            c.out.writeInt(0x12345678);
            c.out.write(new byte[24]);
            c.out.flush();
            assertThat(c.closedByServer()).isTrue();
        }
        await("export released", java.time.Duration.ofSeconds(5), () -> disk.openCount() == 0);
    }

    static byte[] random(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }
}
