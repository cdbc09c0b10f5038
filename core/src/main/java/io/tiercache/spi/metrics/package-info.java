/**
 * Metrics (SPI 1.1): what a plugin reports when the daemon is scraped. A plugin keeps its own
 * counters and writes them into the {@link io.tiercache.spi.metrics.MetricSink} it is handed;
 * nothing is pushed, and the host decides the format (Prometheus text).
 */
package io.tiercache.spi.metrics;
