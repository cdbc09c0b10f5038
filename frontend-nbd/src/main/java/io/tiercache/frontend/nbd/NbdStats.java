package io.tiercache.frontend.nbd;

import io.tiercache.spi.metrics.MetricSink;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * The server's counters for a metrics scrape: connections by transport, requests and failed
 * requests by command. Counted on the event loops as requests are answered (striped adders,
 * nothing allocated); read only when scraped.
 */
final class NbdStats {
    /** Label per command type; unknown types (answered EINVAL) count as "other". */
    private static final String[] COMMANDS = {
        "read", "write", "disc", "flush", "trim", "cache", "write_zeroes", "block_status", "other"};
    private static final int OTHER = COMMANDS.length - 1;

    private final LongAdder[] requests = adders(COMMANDS.length);
    private final LongAdder[] errors = adders(COMMANDS.length);
    private final LongAdder[] accepted = adders(2);
    private final AtomicInteger[] open = {new AtomicInteger(), new AtomicInteger()};
    private final LongAdder zeroCopyReplies = new LongAdder();

    private static LongAdder[] adders(int n) {
        LongAdder[] a = new LongAdder[n];
        for (int i = 0; i < n; i++) {
            a[i] = new LongAdder();
        }
        return a;
    }

    private static int transport(boolean tcp) {
        return tcp ? 0 : 1;
    }

    void connected(boolean tcp) {
        accepted[transport(tcp)].increment();
        open[transport(tcp)].incrementAndGet();
    }

    void disconnected(boolean tcp) {
        open[transport(tcp)].decrementAndGet();
    }

    /** A request of {@code type} ended with {@code errno} (0: success). */
    void request(int type, int errno) {
        int i = type >= 0 && type < OTHER ? type : OTHER;
        requests[i].increment();
        if (errno != 0) {
            errors[i].increment();
        }
    }

    /** Counts a read answered by {@code sendfile}. */
    void zeroCopyReply() {
        zeroCopyReplies.increment();
    }

    long zeroCopyReplies() {
        return zeroCopyReplies.sum();
    }

    void report(MetricSink sink) {
        String[] transports = {"tcp", "unix"};
        for (int t = 0; t < 2; t++) {
            sink.gauge("tiercache_nbd_connections", "NBD connections open now, by transport.", open[t].get(),
                    "transport", transports[t]);
            sink.counter("tiercache_nbd_connections_total", "NBD connections accepted, by transport.",
                    accepted[t].sum(), "transport", transports[t]);
        }
        for (int i = 0; i < COMMANDS.length; i++) {
            sink.counter("tiercache_nbd_requests_total", "NBD requests received and ended, by command.",
                    requests[i].sum(), "command", COMMANDS[i]);
            sink.counter("tiercache_nbd_request_errors_total",
                    "NBD requests answered with an error (refused as malformed, or failed), by command.",
                    errors[i].sum(), "command", COMMANDS[i]);
        }
        sink.counter("tiercache_nbd_zero_copy_replies_total", "Reads answered by sendfile from the device's file.",
                zeroCopyReplies.sum());
    }
}
