package io.tiercache.core.dm;

import io.tiercache.spi.metrics.MetricSink;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.atomic.LongAdder;

/**
 * A mapped device's I/O accounting, as the kernel keeps per-disk statistics for a dm device
 * ({@code /proc/diskstats}): requests, bytes, failed requests and a histogram of the time each
 * took, per operation. Counted where requests enter the device, so a stacked device's I/O counts on
 * both devices, as in dm. Striped {@link LongAdder}s: many I/O threads add at once and nothing is
 * allocated. The request count is the histogram's: each request adds to exactly one bucket.
 */
final class IoStats {
    private static final Bio.Op[] OPS = Bio.Op.values();
    private static final String[] OP_LABELS = new String[OPS.length];
    /** Latency buckets' upper bounds, 100 µs to 10 s: from a page-cache hit to a stalled origin. */
    static final double[] BOUNDS_SECONDS = {
        0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
    private static final long[] BOUNDS_NANOS = new long[BOUNDS_SECONDS.length];

    static {
        for (Bio.Op op : OPS) {
            OP_LABELS[op.ordinal()] = op.name().toLowerCase(Locale.ROOT);
        }
        for (int i = 0; i < BOUNDS_SECONDS.length; i++) {
            BOUNDS_NANOS[i] = Math.round(BOUNDS_SECONDS[i] * 1e9);
        }
    }

    private final LongAdder[] bytes = adders(OPS.length);
    private final LongAdder[] nanos = adders(OPS.length);
    private final LongAdder[] errors = adders(OPS.length);
    /** Per operation, requests per latency bucket (the last: above every bound); they sum to the requests. */
    private final LongAdder[][] buckets = new LongAdder[OPS.length][];

    IoStats() {
        for (int i = 0; i < OPS.length; i++) {
            buckets[i] = adders(BOUNDS_NANOS.length + 1);
        }
    }

    private static LongAdder[] adders(int n) {
        LongAdder[] a = new LongAdder[n];
        for (int i = 0; i < a.length; i++) {
            a[i] = new LongAdder();
        }
        return a;
    }

    /** One request of {@code op} over {@code length} bytes ended after {@code elapsedNanos}. */
    void done(Bio.Op op, long length, long elapsedNanos, boolean failed) {
        int i = op.ordinal();
        bytes[i].add(length);
        nanos[i].add(elapsedNanos);
        buckets[i][bucket(elapsedNanos)].increment();
        if (failed) {
            errors[i].increment();
        }
    }

    /** The first bucket whose upper bound is at least {@code elapsedNanos} (bounds are inclusive). */
    static int bucket(long elapsedNanos) {
        int at = Arrays.binarySearch(BOUNDS_NANOS, elapsedNanos);
        return at >= 0 ? at : -at - 1;
    }

    void report(MetricSink sink) {
        for (Bio.Op op : OPS) {
            int i = op.ordinal();
            String[] label = {"op", OP_LABELS[i]};
            long[] counts = new long[BOUNDS_NANOS.length + 1];
            long requests = 0;
            for (int b = 0; b < counts.length; b++) {
                counts[b] = buckets[i][b].sum();
                requests += counts[b];
            }
            sink.counter("tiercache_device_requests_total", "Requests completed by the device, by operation.",
                    requests, label);
            sink.counter("tiercache_device_bytes_total", "Bytes covered by completed requests, by operation.",
                    bytes[i].sum(), label);
            sink.counter("tiercache_device_errors_total", "Requests that completed with an error, by operation.",
                    errors[i].sum(), label);
            sink.histogram("tiercache_device_request_duration_seconds",
                    "Time from a request's entry into the device (after any suspend) to its completion.",
                    BOUNDS_SECONDS, counts, nanos[i].sum() / 1e9, label);
        }
    }
}
