package io.tiercache.core.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The scrape endpoint over loopback, with the JDK's HTTP client. */
class MetricsServerTest {
    final AtomicInteger scrapes = new AtomicInteger();
    final HttpClient client = HttpClient.newHttpClient();
    MetricsServer server;

    @BeforeEach
    void setUp() throws Exception {
        server = MetricsServer.start("127.0.0.1:0", () -> "# TYPE n gauge\nn " + scrapes.incrementAndGet() + "\n");
    }

    @AfterEach
    void tearDown() {
        server.close();
        client.close();
    }

    private HttpResponse<String> send(String method, String path) throws Exception {
        URI uri = URI.create("http://127.0.0.1:" + server.address().getPort() + path);
        HttpRequest request = HttpRequest.newBuilder(uri).method(method, HttpRequest.BodyPublishers.noBody()).build();
        return client.send(request, HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void getMetricsServesTheCurrentTextEachTime() throws Exception {
        HttpResponse<String> first = send("GET", "/metrics");
        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(first.headers().firstValue("Content-Type")).hasValue(PrometheusText.CONTENT_TYPE);
        assertThat(first.body()).isEqualTo("# TYPE n gauge\nn 1\n");
        assertThat(send("GET", "/metrics?x=1").body()).isEqualTo("# TYPE n gauge\nn 2\n");
    }

    @Test
    void headHasNoBody() throws Exception {
        HttpResponse<String> r = send("HEAD", "/metrics");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEmpty();
    }

    @Test
    void otherPathsAndMethodsAreRefusedAndTheServerGoesOn() throws Exception {
        HttpResponse<String> notFound = send("GET", "/");
        assertThat(notFound.statusCode()).isEqualTo(404);
        assertThat(notFound.body()).contains("only /metrics");
        HttpResponse<String> post = send("POST", "/metrics");
        assertThat(post.statusCode()).isEqualTo(405);
        assertThat(post.headers().firstValue("Allow")).hasValue("GET, HEAD");
        assertThat(scrapes).hasValue(0);
        assertThat(send("GET", "/metrics").statusCode()).isEqualTo(200);
    }

    @Test
    void aFailingScrapeAnswersWithoutTakingTheServerDown() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        try (MetricsServer failing = MetricsServer.start("127.0.0.1:0", () -> {
            if (calls.incrementAndGet() == 1) {
                throw new IllegalStateException("boom");
            }
            return "ok\n";
        })) {
            URI uri = URI.create("http://127.0.0.1:" + failing.address().getPort() + "/metrics");
            HttpRequest get = HttpRequest.newBuilder(uri).build();
            assertThat(client.send(get, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(500);
            assertThat(client.send(get, HttpResponse.BodyHandlers.ofString()).body()).isEqualTo("ok\n");
        }
    }

    @Test
    void listenAddressesAreCheckedNamingTheProblem() {
        assertThat(MetricsServer.parse("127.0.0.1:9466").getPort()).isEqualTo(9466);
        assertThat(MetricsServer.parse("[::1]:9466").getAddress().getHostAddress()).isEqualTo("0:0:0:0:0:0:0:1");
        assertThatThrownBy(() -> MetricsServer.parse("9466")).hasMessageContaining("expected HOST:PORT, got '9466'");
        assertThatThrownBy(() -> MetricsServer.parse("127.0.0.1:")).hasMessageContaining("expected HOST:PORT");
        assertThatThrownBy(() -> MetricsServer.parse("127.0.0.1:70000")).hasMessageContaining("bad port");
        assertThatThrownBy(() -> MetricsServer.parse("127.0.0.1:x")).hasMessageContaining("bad port");
        assertThatThrownBy(() -> MetricsServer.parse("::1:80")).hasMessageContaining("IPv6 host in brackets");
    }

    @Test
    void anAddressInUseIsAnError() {
        String taken = "127.0.0.1:" + server.address().getPort();
        assertThatThrownBy(() -> MetricsServer.start(taken, () -> "")).isInstanceOf(java.io.IOException.class);
    }
}
