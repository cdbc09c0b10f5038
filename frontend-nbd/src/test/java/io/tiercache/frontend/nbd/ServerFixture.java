package io.tiercache.frontend.nbd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;

/**
 * Starts an in-process NBD frontend on 127.0.0.1 (ephemeral port) over {@link TestExports}, and
 * stops it after each test.
 */
abstract class ServerFixture {
    protected final TestExports exports = new TestExports();
    protected NbdFrontend frontend;

    /** The transport the subclass tests; auto means epoll where available. */
    protected String transport() {
        return "auto";
    }

    protected NbdFrontend start(Map<String, String> extra) throws Exception {
        Map<String, String> settings = new HashMap<>();
        settings.put("nbd.listen", "127.0.0.1:0");
        settings.put("nbd.transport", transport());
        settings.put("nbd.shutdown-timeout-ms", "5000");
        settings.putAll(extra);
        frontend = new NbdFrontend();
        frontend.start(TestExports.context(registry(), settings));
        if (transport().equals("nio")) {
            assertThat(frontend.usesEpoll()).isFalse();
        }
        return frontend;
    }

    /** What the server exports: the in-memory test devices unless a test serves real ones. */
    protected io.tiercache.spi.frontend.ExportRegistry registry() {
        return exports;
    }

    protected NbdFrontend start() throws Exception {
        return start(Map.of());
    }

    protected InetSocketAddress address() {
        return frontend.tcpAddress().orElseThrow();
    }

    protected String uri(String export) {
        return "nbd://127.0.0.1:" + address().getPort() + "/" + export;
    }

    protected RawClient client() throws Exception {
        return new RawClient(address());
    }

    @AfterEach
    void stopServer() {
        if (frontend != null) {
            frontend.stop();
        }
    }

    /** Waits until the condition holds, failing with the description after the timeout. */
    static void await(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("timed out waiting for: " + what);
            }
            Thread.sleep(10);
        }
    }
}
