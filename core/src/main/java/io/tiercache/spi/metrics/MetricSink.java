package io.tiercache.spi.metrics;

/**
 * Where a component — a target, a frontend plugin — reports its metrics when asked (a scrape): one
 * call per sample. Since SPI 1.1. Reporting is
 * pull-only — nothing is pushed from the I/O path — so components keep plain counters and read
 * them here. Names follow Prometheus conventions ({@code tiercache_…}, {@code _total} for
 * counters, base units: bytes, seconds).
 */
public interface MetricSink {
    /**
     * Whether a sample only goes up (reset only by a restart or a new table), may go either way, or
     * is part of a histogram ({@code NAME_bucket}, {@code NAME_sum}, {@code NAME_count}).
     */
    enum Kind { COUNTER, GAUGE, HISTOGRAM }

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

    /**
     * A histogram as its samples: {@code NAME_bucket} with an {@code le} label per upper bound (and
     * {@code +Inf}), counting cumulatively, then {@code NAME_sum} and {@code NAME_count}.
     *
     * @param upperBounds the buckets' upper bounds, ascending
     * @param counts observations per bucket, not cumulative: {@code counts[i]} fell in
     *     {@code (upperBounds[i-1], upperBounds[i]]}, the last element above every bound
     * @param sum the sum of all observations
     */
    default void histogram(String name, String help, double[] upperBounds, long[] counts, double sum,
            String... labels) {
        if (counts.length != upperBounds.length + 1) {
            throw new IllegalArgumentException(name + ": " + counts.length + " counts for " + upperBounds.length
                    + " bounds (one more expected, for +Inf)");
        }
        String[] withLe = java.util.Arrays.copyOf(labels, labels.length + 2);
        withLe[labels.length] = "le";
        long cumulative = 0;
        for (int i = 0; i <= upperBounds.length; i++) {
            cumulative += counts[i];
            withLe[labels.length + 1] = i == upperBounds.length ? "+Inf"
                    : java.math.BigDecimal.valueOf(upperBounds[i]).stripTrailingZeros().toPlainString();
            sample(Kind.HISTOGRAM, name + "_bucket", help, cumulative, withLe.clone());
        }
        sample(Kind.HISTOGRAM, name + "_sum", help, sum, labels);
        sample(Kind.HISTOGRAM, name + "_count", help, cumulative, labels);
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
