package io.tiercache.core.inject;

import com.google.inject.AbstractModule;
import io.tiercache.core.control.ControlServer;
import io.tiercache.core.daemon.Daemon;
import io.tiercache.core.daemon.DaemonConfig;
import io.tiercache.core.daemon.DeviceExports;
import io.tiercache.core.daemon.StateStore;
import io.tiercache.core.metrics.DaemonMetrics;

/** The daemon's own pieces: settings, exports, device state, control socket. */
public final class DaemonModule extends AbstractModule {
    private final DaemonConfig config;

    public DaemonModule(DaemonConfig config) {
        this.config = config;
    }

    @Override
    protected void configure() {
        binder().requireExplicitBindings();
        binder().disableCircularProxies();
        bind(DaemonConfig.class).toInstance(config);
        bind(DeviceExports.class);
        bind(StateStore.class);
        bind(DaemonMetrics.class);
        bind(ControlServer.class);
        bind(Daemon.class);
    }
}
