package io.tiercache.core.metrics;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves {@code GET /metrics} in Prometheus' text format (the JDK's HTTP server: a scrape
 * endpoint needs nothing more, and the I/O path's Netty stays in the NBD plugin). One thread:
 * scrapes are rare and each takes only short locks; a scrape never touches device I/O.
 */
public final class MetricsServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MetricsServer.class);
    public static final String PATH = "/metrics";

    private final HttpServer server;
    private final ExecutorService executor;

    private MetricsServer(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    /**
     * Listens on {@code listen} ({@code HOST:PORT}, IPv6 hosts in brackets; port 0 picks one) and
     * answers with {@code text}'s current value.
     *
     * @throws IllegalArgumentException a malformed address, naming it
     * @throws IOException the address cannot be bound
     */
    public static MetricsServer start(String listen, Supplier<String> text) throws IOException {
        InetSocketAddress address = parse(listen);
        HttpServer server = HttpServer.create(address, 16);
        ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "metrics-http");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/", exchange -> answer(exchange, text));
        server.start();
        return new MetricsServer(server, executor);
    }

    private static void answer(HttpExchange exchange, Supplier<String> text) throws IOException {
        try (exchange) {
            String method = exchange.getRequestMethod();
            if (!exchange.getRequestURI().getPath().equals(PATH)) {
                send(exchange, 404, "not found: only " + PATH + " is served\n", true);
                return;
            }
            if (!method.equals("GET") && !method.equals("HEAD")) {
                exchange.getResponseHeaders().set("Allow", "GET, HEAD");
                send(exchange, 405, "method not allowed: " + method + "\n", true);
                return;
            }
            String body;
            try {
                body = text.get();
            } catch (RuntimeException e) {
                LOG.error("metrics: scrape failed", e);
                send(exchange, 500, "scrape failed: " + e + "\n", true);
                return;
            }
            exchange.getResponseHeaders().set("Content-Type", PrometheusText.CONTENT_TYPE);
            send(exchange, 200, body, !method.equals("HEAD"));
        }
    }

    private static void send(HttpExchange exchange, int status, String body, boolean withBody) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        if (status != 200) {
            exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        }
        if (!withBody) {
            exchange.sendResponseHeaders(status, -1);
            return;
        }
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    /** {@code HOST:PORT} or {@code [V6]:PORT}. */
    static InetSocketAddress parse(String listen) {
        int colon = listen.lastIndexOf(':');
        if (colon <= 0 || colon == listen.length() - 1) {
            throw new IllegalArgumentException("metrics.listen: expected HOST:PORT, got '" + listen + "'");
        }
        String host = listen.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        } else if (host.contains(":")) {
            throw new IllegalArgumentException("metrics.listen: put an IPv6 host in brackets: '" + listen + "'");
        }
        int port;
        try {
            port = Integer.parseInt(listen.substring(colon + 1));
        } catch (NumberFormatException e) {
            port = -1;
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("metrics.listen: bad port in '" + listen + "'");
        }
        InetSocketAddress address = new InetSocketAddress(host, port);
        if (address.isUnresolved()) {
            throw new IllegalArgumentException("metrics.listen: unknown host in '" + listen + "'");
        }
        return address;
    }

    public InetSocketAddress address() {
        return server.getAddress();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
