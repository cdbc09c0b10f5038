package io.tiercache.core.dm;

import io.tiercache.spi.metrics.MetricSink;
import java.util.Locale;
import java.util.concurrent.atomic.LongAdder;

/**
 * A mapped device's I/O accounting, as the kernel keeps per-disk statistics for a dm device
 * ({@code /proc/diskstats}): requests, bytes and time spent, per operation, and failed requests.
 * Counted where requests enter the device, so a stacked device's I/O counts on both devices, as
 * in dm. Striped {@link LongAdder}s: many I/O threads add at once and nothing is allocated.
 */
final class IoStats {
    private static final Bio.Op[] OPS = Bio.Op.values();
    private static final String[] OP_LABELS = new String[OPS.length];

    static {
        for (Bio.Op op : OPS) {
            OP_LABELS[op.ordinal()] = op.name().toLowerCase(Locale.ROOT);
        }
    }

    private final LongAdder[] requests = adders();
    private final LongAdder[] bytes = adders();
    private final LongAdder[] nanos = adders();
    private final LongAdder[] errors = adders();

    private static LongAdder[] adders() {
        LongAdder[] a = new LongAdder[OPS.length];
        for (int i = 0; i < a.length; i++) {
            a[i] = new LongAdder();
        }
        return a;
    }

    /** One request of {@code op} over {@code length} bytes ended after {@code elapsedNanos}. */
    void done(Bio.Op op, long length, long elapsedNanos, boolean failed) {
        int i = op.ordinal();
        requests[i].increment();
        bytes[i].add(length);
        nanos[i].add(elapsedNanos);
        if (failed) {
            errors[i].increment();
        }
    }

    void report(MetricSink sink) {
        for (Bio.Op op : OPS) {
            int i = op.ordinal();
            String[] label = {"op", OP_LABELS[i]};
            sink.counter("tiercache_device_requests_total", "Requests completed by the device, by operation.",
                    requests[i].sum(), label);
            sink.counter("tiercache_device_bytes_total", "Bytes covered by completed requests, by operation.",
                    bytes[i].sum(), label);
            sink.counter("tiercache_device_request_seconds_total",
                    "Time from a request's entry into the device (after any suspend) to its completion.",
                    nanos[i].sum() / 1e9, label);
            sink.counter("tiercache_device_errors_total", "Requests that completed with an error, by operation.",
                    errors[i].sum(), label);
        }
    }
}
