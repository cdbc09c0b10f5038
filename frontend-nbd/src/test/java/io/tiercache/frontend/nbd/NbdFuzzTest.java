package io.tiercache.frontend.nbd;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Feeds well over 100,000 mutated options and requests, over many connections (some cut off
 * mid-message, some reset), then checks that every connection was closed or answered, every export
 * released, no buffer leaked, and that a well-behaved client is still served correctly. TLS is on,
 * so STARTTLS followed by garbage reaches the SslHandler too.
 */
class NbdFuzzTest extends ServerFixture {
    static final int SIZE = 1 << 20;
    static final long SEED = Long.getLong("nbd.fuzz.seed", 20261123L);
    static final long INPUTS = 120_000;

    @TempDir
    Path dir;

    private final LeakWatcher leaks = new LeakWatcher();
    private final java.util.concurrent.atomic.LongAdder received = new java.util.concurrent.atomic.LongAdder();
    private TestDevice disk;

    @BeforeEach
    void setUp() throws Exception {
        leaks.start();
        disk = exports.add(new TestDevice("disk", SIZE));
        TestCertificates certs = new TestCertificates(dir);
        start(Map.of("nbd.tls", "on", "nbd.tls.cert", certs.serverCert.toString(), "nbd.tls.key",
                certs.serverKey.toString()));
    }

    @AfterEach
    void stopWatching() {
        leaks.stop();
    }

    @Test
    void mutatedHandshakesAndRequestsLeaveTheServerHealthy() throws Exception {
        Fuzzer fuzzer = new Fuzzer(SEED, SIZE);
        int connections = 0;
        try (ExecutorService pool = Executors.newFixedThreadPool(4)) {
            List<Future<?>> running = new ArrayList<>();
            while (fuzzer.inputs() < INPUTS) {
                byte[] bytes = fuzzer.connection();
                boolean reset = (connections++ % 11) == 0;
                running.add(pool.submit(() -> {
                    play(bytes, reset);
                    return null;
                }));
            }
            for (Future<?> f : running) {
                f.get(60, TimeUnit.SECONDS); // a server that never closes fails here
            }
        }
        System.out.printf("fuzz: %d inputs over %d connections, %d bytes of replies%n", fuzzer.inputs(), connections,
                received.sum());
        assertThat(fuzzer.inputs()).isGreaterThanOrEqualTo(INPUTS);
        assertThat(connections).isGreaterThan(50);
        assertThat(received.sum()).as("the server answered").isGreaterThan(10L << 20);
        await("every export released", Duration.ofSeconds(10), () -> disk.openCount() == 0);

        byte[] data = NbdTransmissionTest.random(65536, 5);
        try (RawClient c = client().handshake()) {
            c.go("disk");
            c.write(1, 4096, data);
            assertThat(c.readReply()).isEqualTo(new RawClient.Reply(0, 1));
            c.request(0, NbdConstants.CMD_READ, 2, 4096, data.length);
            assertThat(c.readReply()).isEqualTo(new RawClient.Reply(0, 2));
            assertThat(c.readData(data.length)).isEqualTo(data);
        }
        Tools.require("nbdinfo", "libnbd-bin");
        assertThat(Tools.ok(Duration.ofSeconds(30), "nbdinfo", uri("disk")).stdout()).contains("export-size: " + SIZE);
        assertThat(leaks.leaks()).isEmpty();
    }

    /**
     * Sends the bytes while draining whatever comes back, then ends the connection (FIN, or RST),
     * and waits until the server has closed its side.
     */
    private void play(byte[] bytes, boolean reset) throws Exception {
        try (Socket s = new Socket()) {
            s.connect(address(), 5_000);
            s.setSoTimeout(30_000);
            java.util.concurrent.atomic.AtomicBoolean hung = new java.util.concurrent.atomic.AtomicBoolean();
            Thread reader = Thread.ofVirtual().start(() -> hung.set(!drain(s, received)));
            try {
                OutputStream out = s.getOutputStream();
                out.write(bytes);
                out.flush();
                if (reset) {
                    s.setSoLinger(true, 0);
                    s.close();
                } else {
                    s.shutdownOutput();
                }
            } catch (IOException e) {
                // The server closed on us (bad magic, DISC, absurd length): expected.
            }
            if (!reader.join(Duration.ofSeconds(40)) || hung.get()) {
                throw new AssertionError("server kept a fuzzed connection open");
            }
        }
    }

    /** Reads until the connection ends; false if the server went silent without closing. */
    private static boolean drain(Socket s, java.util.concurrent.atomic.LongAdder received) {
        byte[] buf = new byte[1 << 16];
        try {
            InputStream in = s.getInputStream();
            for (int n; (n = in.read(buf)) >= 0; ) {
                received.add(n); // replies are not checked here; the protocol tests do that
            }
            return true;
        } catch (java.net.SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true; // reset, or closed by us: the connection is over
        }
    }
}
