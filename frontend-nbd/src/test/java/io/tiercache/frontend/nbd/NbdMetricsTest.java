package io.tiercache.frontend.nbd;

import static io.tiercache.frontend.nbd.NbdConstants.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.tiercache.frontend.nbd.RawClient.Reply;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What the frontend reports to a metrics scrape: connections, requests and errors by command. */
class NbdMetricsTest extends ServerFixture {
    @BeforeEach
    void setUp() throws Exception {
        exports.add(new TestDevice("disk", 1 << 20));
        start();
    }

    private Map<String, Double> scrape() {
        Map<String, Double> m = new HashMap<>();
        frontend.metrics((kind, name, help, value, labels) -> {
            StringBuilder key = new StringBuilder(name);
            for (int i = 0; i < labels.length; i += 2) {
                key.append(i == 0 ? "{" : ",").append(labels[i]).append('=').append(labels[i + 1]);
            }
            m.put(key.append(labels.length > 0 ? "}" : "").toString(), value);
        });
        return m;
    }

    @Test
    void requestsErrorsAndConnectionsAreCounted() throws Exception {
        try (RawClient c = client().handshake()) {
            c.go("disk");
            c.write(1, 0, new byte[4096]);
            assertThat(c.readReply()).isEqualTo(new Reply(0, 1));
            c.request(0, CMD_READ, 2, 0, 4096);
            assertThat(c.readReply()).isEqualTo(new Reply(0, 2));
            c.readData(4096);
            c.request(0, CMD_READ, 3, 1 << 20, 512); // past the end
            assertThat(c.readReply()).isEqualTo(new Reply(EINVAL, 3));
            c.request(0, 42, 4, 0, 512); // no such command
            assertThat(c.readReply()).isEqualTo(new Reply(EINVAL, 4));
            c.request(0, CMD_FLUSH, 5, 0, 0);
            assertThat(c.readReply()).isEqualTo(new Reply(0, 5));
            Map<String, Double> m = scrape();
            assertThat(m).containsEntry("tiercache_nbd_requests_total{command=read}", 2.0)
                    .containsEntry("tiercache_nbd_request_errors_total{command=read}", 1.0)
                    .containsEntry("tiercache_nbd_requests_total{command=write}", 1.0)
                    .containsEntry("tiercache_nbd_request_errors_total{command=write}", 0.0)
                    .containsEntry("tiercache_nbd_requests_total{command=flush}", 1.0)
                    .containsEntry("tiercache_nbd_requests_total{command=other}", 1.0)
                    .containsEntry("tiercache_nbd_request_errors_total{command=other}", 1.0)
                    .containsEntry("tiercache_nbd_connections{transport=tcp}", 1.0)
                    .containsEntry("tiercache_nbd_connections_total{transport=tcp}", 1.0)
                    .containsEntry("tiercache_nbd_connections{transport=unix}", 0.0);
        }
        await("the connection is counted closed", Duration.ofSeconds(10),
                () -> scrape().get("tiercache_nbd_connections{transport=tcp}") == 0.0);
        assertThat(scrape()).containsEntry("tiercache_nbd_connections_total{transport=tcp}", 1.0);
    }

    @Test
    void aStoppedFrontendReportsNothing() {
        frontend.stop();
        assertThat(scrape()).isEmpty();
    }
}
