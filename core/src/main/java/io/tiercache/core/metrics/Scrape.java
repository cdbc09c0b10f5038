package io.tiercache.core.metrics;

import io.tiercache.spi.metrics.MetricSink;

/** One scrape: asks every source for its samples and renders them as Prometheus text. */
public final class Scrape {
    /** Anything that reports metrics when asked. */
    @FunctionalInterface
    public interface Source {
        void report(MetricSink sink);
    }

    private Scrape() {}

    public static String text(Source... sources) {
        PrometheusText text = new PrometheusText();
        for (Source s : sources) {
            s.report(text);
        }
        return text.render();
    }
}
