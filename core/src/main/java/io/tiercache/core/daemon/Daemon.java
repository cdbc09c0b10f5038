package io.tiercache.core.daemon;

import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Stage;
import io.tiercache.core.control.ControlServer;
import io.tiercache.core.dm.DeviceMapper;
import io.tiercache.core.dm.DmException;
import io.tiercache.core.inject.DaemonModule;
import io.tiercache.core.inject.PluginModule;
import io.tiercache.core.inject.TargetModule;
import io.tiercache.core.metrics.DaemonMetrics;
import io.tiercache.core.metrics.MetricsServer;
import io.tiercache.core.plugin.PluginCatalog;
import io.tiercache.spi.frontend.Frontend;
import io.tiercache.spi.frontend.FrontendContext;
import jakarta.inject.Inject;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running engine: devices, the frontends that export them and the control socket. Start
 * order: restore recorded devices, start frontends, open the control socket. Stop order is the
 * reverse, and every device is suspended last, so that targets write their state as after
 * {@code dmsetup suspend}.
 */
public final class Daemon implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Daemon.class);
    /** The settings key of the metrics endpoint ({@code HOST:PORT}); unset or blank: none. */
    public static final String METRICS_LISTEN = "metrics.listen";

    private final DaemonConfig config;
    private final DeviceMapper dm;
    private final Map<String, Frontend> frontends;
    private final DeviceExports exports;
    private final StateStore state;
    private final ControlServer control;
    private final DaemonMetrics metricsSource;
    private final List<Frontend> started = new ArrayList<>();
    private MetricsServer metrics;

    @Inject
    public Daemon(DaemonConfig config, DeviceMapper dm, Map<String, Frontend> frontends, DeviceExports exports,
            StateStore state, ControlServer control, DaemonMetrics metricsSource) {
        this.config = config;
        this.dm = dm;
        this.frontends = frontends;
        this.exports = exports;
        this.state = state;
        this.control = control;
        this.metricsSource = metricsSource;
    }

    /** Builds the one injector: plugins found in the configured folder, then the core modules. */
    public static Daemon create(DaemonConfig config) {
        PluginCatalog catalog = PluginCatalog.load(config.plugins());
        catalog.loaded().forEach(plugin -> LOG.info("plugin {} loaded", plugin));
        Injector injector = Guice.createInjector(Stage.PRODUCTION, new DaemonModule(config), new TargetModule(),
                new PluginModule(catalog));
        return injector.getInstance(Daemon.class);
    }

    public DeviceMapper deviceMapper() {
        return dm;
    }

    public DaemonConfig config() {
        return config;
    }

    public void start() throws Exception {
        state.lock();
        startMetrics(); // before any device is touched: a bad or taken address stops the start here
        state.restore(dm);
        dm.addListener(state);
        FrontendContext ctx = new FrontendContext() {
            @Override
            public io.tiercache.spi.frontend.ExportRegistry exports() {
                return exports;
            }

            @Override
            public Optional<String> setting(String key) {
                return switch (key) {
                    case "nbd.listen" -> Optional.of(config.nbdListen()).filter(s -> !s.isBlank());
                    case "nbd.socket" -> config.nbdSocket().map(Object::toString);
                    default -> Optional.ofNullable(config.extra().get(key));
                };
            }
        };
        if (frontends.isEmpty()) {
            LOG.warn("no frontend plugin found in {}: devices are not exported", config.plugins());
        }
        for (var e : frontends.entrySet()) {
            e.getValue().start(ctx);
            started.add(e.getValue());
            LOG.info("frontend {} started", e.getKey());
        }
        control.start();
        LOG.info("tiercache daemon ready; control socket {}", config.control());
    }

    /** The Prometheus endpoint, if {@code metrics.listen} is set. */
    private void startMetrics() throws IOException {
        String listen = config.extra().getOrDefault(METRICS_LISTEN, "");
        if (listen.isBlank()) {
            return;
        }
        try {
            metrics = MetricsServer.start(listen, metricsSource::scrape);
        } catch (IOException e) {
            throw new IOException("metrics.listen " + listen + ": " + e.getMessage(), e);
        }
        LOG.info("metrics on http://{}{}", listen, MetricsServer.PATH);
    }

    /** Stops serving and suspends every device (a clean stop). */
    @Override
    public void close() {
        if (metrics != null) {
            metrics.close();
            metrics = null;
        }
        control.close();
        for (Frontend f : started.reversed()) {
            try {
                f.stop();
            } catch (RuntimeException e) {
                LOG.error("frontend stop failed", e);
            }
        }
        started.clear();
        for (DmException e : dm.suspendAll()) {
            LOG.error("could not suspend: {}", e.getMessage());
        }
        LOG.info("tiercache daemon stopped");
    }
}
