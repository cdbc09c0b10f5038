package io.tiercache.spi.metrics;

/**
 * Where a component — a target, a frontend plugin — reports its metrics when asked (a scrape): one
 * call per sample. Since SPI 1.1. Reporting is
 * pull-only — nothing is pushed from the I/O path — so components keep plain counters and read
 * them here. Names follow Prometheus conventions ({@code tiercache_…}, {@code _total} for
 * counters, base units: bytes, seconds).
 */
public interface MetricSink {
    /** Whether a sample only goes up (reset only by a restart or a new table) or may go either way. */
    enum Kind { COUNTER, GAUGE }

    /**
     * One sample.
     *
     * @param labels label names and values, alternating ({@code "op", "read"})
     */
    void sample(Kind kind, String name, String help, double value, String... labels);

    default void counter(String name, String help, double value, String... labels) {
        sample(Kind.COUNTER, name, help, value, labels);
    }

    default void gauge(String name, String help, double value, String... labels) {
        sample(Kind.GAUGE, name, help, value, labels);
    }

    /** A sink that puts {@code labels} in front of every sample's own (e.g. the device's name). */
    default MetricSink withLabels(String... labels) {
        MetricSink inner = this;
        return (kind, name, help, value, own) -> {
            String[] all = new String[labels.length + own.length];
            System.arraycopy(labels, 0, all, 0, labels.length);
            System.arraycopy(own, 0, all, labels.length, own.length);
            inner.sample(kind, name, help, value, all);
        };
    }
}
