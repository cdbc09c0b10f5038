package io.tiercache.core.metrics;

import io.tiercache.core.dm.DeviceMapper;
import io.tiercache.spi.frontend.Frontend;
import io.tiercache.spi.metrics.MetricSink;
import jakarta.inject.Inject;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything a scrape of the daemon reports: the devices (and their targets), the frontend
 * plugins, the JVM. The one source behind both the HTTP endpoint and {@code tiercache metrics}.
 */
public final class DaemonMetrics {
    private static final Logger LOG = LoggerFactory.getLogger(DaemonMetrics.class);

    private final DeviceMapper dm;
    private final Map<String, Frontend> frontends;

    @Inject
    public DaemonMetrics(DeviceMapper dm, Map<String, Frontend> frontends) {
        this.dm = dm;
        this.frontends = frontends;
    }

    /** The current samples in Prometheus text format. */
    public String scrape() {
        PrometheusText text = new PrometheusText();
        dm.report(text);
        reportFrontends(text);
        JvmMetrics.report(text);
        return text.render();
    }

    /** A plugin that fails to report loses its samples for this scrape, not the scrape. */
    private void reportFrontends(MetricSink sink) {
        frontends.forEach((name, frontend) -> {
            try {
                frontend.metrics(sink);
            } catch (RuntimeException e) {
                LOG.warn("metrics: frontend {} failed to report: {}", name, e.toString());
            }
        });
    }
}
