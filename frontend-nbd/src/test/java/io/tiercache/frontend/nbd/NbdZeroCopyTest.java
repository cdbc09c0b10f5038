package io.tiercache.frontend.nbd;

import static io.tiercache.frontend.nbd.NbdConstants.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.tiercache.core.daemon.DeviceExports;
import io.tiercache.core.dm.DeviceMapper;
import io.tiercache.core.dm.TargetRegistry;
import io.tiercache.core.dm.targets.LinearTarget;
import io.tiercache.core.dm.targets.ZeroTarget;
import io.tiercache.spi.frontend.ExportRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Zero-copy reads from the daemon's own devices (device-mapper tables over files): the data is
 * right, spans cross target boundaries, other targets fall back to copying, and the hold a
 * zero-copy reply keeps on its device orders it correctly with suspend and reload.
 */
class NbdZeroCopyTest extends ServerFixture {
    static final int MIB = 1 << 20;

    @TempDir
    Path dir;

    private final DeviceMapper dm = new DeviceMapper(new TargetRegistry(
            Map.of("linear", new LinearTarget.Type(), "zero", new ZeroTarget.Type())));
    private static final byte[] a = NbdTransmissionTest.random(40 * MIB, 1);
    private static final byte[] b = NbdTransmissionTest.random(40 * MIB, 2);
    private final LeakWatcher leaks = new LeakWatcher();
    private Path fileA;
    private Path fileB;

    @Override
    protected ExportRegistry registry() {
        return new DeviceExports(dm);
    }

    @BeforeEach
    void setUp() throws Exception {
        leaks.start();
        fileA = Files.write(dir.resolve("a.img"), a);
        fileB = Files.write(dir.resolve("b.img"), b);
        dm.create("lin", Optional.of("0 81920 linear " + fileA + " 0"));
        // 16 MiB of a from 8 MiB on, then 16 MiB of b from 0: a read across sector 32768 spans both.
        dm.create("split", Optional.of("0 32768 linear " + fileA + " 16384\n32768 32768 linear " + fileB + " 0"));
        dm.create("mixed", Optional.of("0 32768 linear " + fileA + " 0\n32768 32768 zero"));
        start(Map.of("nbd.zero-copy", "on", "nbd.zero-copy-timeout-ms", "1500"));
    }

    @AfterEach
    void tearDown() throws Exception {
        frontend.stop();
        for (String name : dm.names()) {
            dm.remove(name);
        }
        assertThat(leaks.leaks()).isEmpty();
        leaks.stop();
    }

    private RawClient connect(String export, boolean structured) throws Exception {
        RawClient c = client().handshake();
        if (structured) {
            c.structured();
        }
        c.go(export);
        return c;
    }

    private static byte[] slice(byte[] src, int from, int length) {
        return Arrays.copyOfRange(src, from, from + length);
    }

    @Test
    void largeReadsAreSentFromTheFileAndSmallOnesCopied() throws Exception {
        try (RawClient c = connect("lin", false)) {
            c.request(0, CMD_READ, 1, 3 * MIB + 512, MIB);
            assertThat(c.readReply()).isEqualTo(new RawClient.Reply(0, 1));
            assertThat(c.readData(MIB)).isEqualTo(slice(a, 3 * MIB + 512, MIB));
            assertThat(frontend.zeroCopyReplies()).isEqualTo(1);
            c.request(0, CMD_READ, 2, 4096, 4096);
            c.readReply();
            assertThat(c.readData(4096)).isEqualTo(slice(a, 4096, 4096));
            assertThat(frontend.zeroCopyReplies()).as("small reads are copied").isEqualTo(1);
        }
        try (RawClient c = connect("lin", true)) {
            c.request(0, CMD_READ, 3, 8 * MIB, 32 * MIB);
            assertThat(NbdStructuredTest.reassemble(c.readChunks(), 8 * MIB, 32 * MIB)).isEqualTo(slice(a, 8 * MIB, 32 * MIB));
            assertThat(frontend.zeroCopyReplies()).isEqualTo(2);
        }
    }

    @Test
    void aReadAcrossTargetsSendsOneSpanPerFile() throws Exception {
        try (RawClient c = connect("split", true)) {
            c.request(0, CMD_READ, 1, 15 * MIB, 2 * MIB);
            byte[] expected = new byte[2 * MIB];
            System.arraycopy(a, 8 * MIB + 15 * MIB, expected, 0, MIB);
            System.arraycopy(b, 0, expected, MIB, MIB);
            assertThat(NbdStructuredTest.reassemble(c.readChunks(), 15 * MIB, 2 * MIB)).isEqualTo(expected);
            assertThat(frontend.zeroCopyReplies()).isEqualTo(1);
        }
        try (RawClient c = connect("mixed", false)) {
            c.request(0, CMD_READ, 2, 15 * MIB, 2 * MIB); // half of it is a zero target: copied
            c.readReply();
            byte[] expected = new byte[2 * MIB];
            System.arraycopy(a, 15 * MIB, expected, 0, MIB);
            assertThat(c.readData(2 * MIB)).isEqualTo(expected);
            assertThat(frontend.zeroCopyReplies()).isEqualTo(1);
        }
    }

    @Test
    void blockStatusComesFromEachTargetAndZeroTargetsBecomeHoles() throws Exception {
        try (RawClient c = client().handshake().structured()) {
            List<String> ids = c.metaContext(OPT_SET_META_CONTEXT, "mixed", "base:allocation", "tiercache:cache");
            assertThat(ids).hasSize(3);
            c.go("mixed");
            c.request(0, CMD_BLOCK_STATUS, 1, 15 * MIB, 2 * MIB);
            for (RawClient.Chunk ch : c.readChunks()) {
                java.nio.ByteBuffer p = ch.data();
                int id = p.getInt();
                List<Long> extents = new java.util.ArrayList<>();
                while (p.hasRemaining()) {
                    extents.add(p.getInt() & 0xffffffffL);
                }
                if (ids.getFirst().startsWith(id + " ")) { // base:allocation: linear data, then the zero target
                    assertThat(extents).containsExactly((long) MIB, 0L, (long) MIB, 3L);
                } else { // tiercache:cache: no cache anywhere
                    assertThat(extents).containsExactly(2L * MIB, 0L);
                }
            }
            // A structured read sends the zero target's part as a hole chunk.
            c.request(0, CMD_READ, 2, 15 * MIB, 2 * MIB);
            List<RawClient.Chunk> chunks = c.readChunks();
            assertThat(chunks).extracting(RawClient.Chunk::type).containsExactly(CHUNK_OFFSET_DATA, CHUNK_OFFSET_HOLE);
            byte[] expected = new byte[2 * MIB];
            System.arraycopy(a, 15 * MIB, expected, 0, MIB);
            assertThat(NbdStructuredTest.reassemble(chunks, 15 * MIB, 2 * MIB)).isEqualTo(expected);
        }
    }

    @Test
    void suspendWaitsForTheReplyAndAReloadServesTheNewTable() throws Exception {
        try (RawClient c = connect("lin", false)) {
            c.request(0, CMD_READ, 1, 0, 32 * MIB); // far more than the socket buffers take
            await("the zero-copy reply is queued", Duration.ofSeconds(5), () -> frontend.zeroCopyReplies() == 1);
            CompletableFuture<Void> suspend = CompletableFuture.runAsync(() -> {
                try {
                    dm.load("lin", "0 81920 linear " + fileB + " 0");
                    dm.suspend("lin", false);
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            Thread.sleep(300);
            assertThat(suspend).as("suspend waits for the read still being sent").isNotDone();
            assertThat(c.readReply()).isEqualTo(new RawClient.Reply(0, 1));
            assertThat(c.readData(32 * MIB)).isEqualTo(slice(a, 0, 32 * MIB));
            suspend.get(5, TimeUnit.SECONDS);
            dm.resume("lin"); // swaps in b and closes a's file
            c.request(0, CMD_READ, 2, MIB, MIB);
            c.readReply();
            assertThat(c.readData(MIB)).isEqualTo(slice(b, MIB, MIB));
        }
    }

    @Test
    void aClientThatStopsReadingIsDroppedSoASuspendCanFinish() throws Exception {
        try (RawClient c = connect("lin", true)) {
            c.request(0, CMD_READ, 1, 0, 32 * MIB);
            await("the zero-copy reply is queued", Duration.ofSeconds(5), () -> frontend.zeroCopyReplies() == 1);
            long t0 = System.nanoTime();
            dm.suspend("lin", false); // returns once the stalled connection was closed
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isBetween(Duration.ofMillis(500), Duration.ofSeconds(10));
            dm.resume("lin");
            c.shortTimeout(5_000);
            assertThat(drainUntilClosed(c)).isLessThan(32 * MIB);
        }
        try (RawClient c = connect("lin", false)) {
            c.request(0, CMD_READ, 2, 0, MIB);
            assertThat(c.readReply().error()).isZero();
            assertThat(c.readData(MIB)).isEqualTo(slice(a, 0, MIB));
        }
    }

    @Test
    void autoSendsFilesOnUnixSocketsButCopiesOnLoopbackTcp() throws Exception {
        Tools.require("qemu-io", "qemu-utils");
        frontend.stop();
        Path socket = dir.resolve("nbd.sock");
        start(Map.of("nbd.socket", socket.toString())); // nbd.zero-copy=auto by default
        try (RawClient c = connect("lin", false)) {
            c.request(0, CMD_READ, 1, 0, MIB);
            c.readReply();
            assertThat(c.readData(MIB)).isEqualTo(slice(a, 0, MIB));
        }
        assertThat(frontend.zeroCopyReplies()).as("loopback TCP copies").isZero();
        Tools.ok(Duration.ofSeconds(60), "qemu-io", "-f", "raw", "nbd+unix:///lin?socket=" + socket, "-c", "read 1M 1M");
        assertThat(frontend.zeroCopyReplies()).as("a unix socket gets sendfile").isPositive();
    }

    @Test
    void tlsConnectionsAreNeverZeroCopy() throws Exception {
        frontend.stop();
        TestCertificates certs = new TestCertificates(dir);
        start(Map.of("nbd.zero-copy", "on", "nbd.tls", "on", "nbd.tls.cert", certs.serverCert.toString(),
                "nbd.tls.key", certs.serverKey.toString()));
        try (RawClient c = client().handshake()) {
            c.option(OPT_STARTTLS, new byte[0]);
            assertThat(c.readOptionReply().type()).isEqualTo(REP_ACK);
            c.upgradeToTls(NbdTlsTest.trusting(certs.ca));
            c.go("lin");
            c.request(0, CMD_READ, 1, 0, MIB);
            c.readReply();
            assertThat(c.readData(MIB)).isEqualTo(slice(a, 0, MIB));
        }
        assertThat(frontend.zeroCopyReplies()).isZero();
    }

    private static long drainUntilClosed(RawClient c) {
        long n = 0;
        byte[] buf = new byte[1 << 16];
        try {
            for (int r; (r = c.in.read(buf)) > 0; ) {
                n += r;
            }
        } catch (java.io.IOException e) {
            // reset: closed as well
        }
        return n;
    }
}
