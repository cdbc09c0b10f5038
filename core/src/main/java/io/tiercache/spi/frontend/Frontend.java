package io.tiercache.spi.frontend;

import io.tiercache.spi.metrics.MetricSink;
import org.pf4j.ExtensionPoint;

/** A server that exports devices to clients. Started once by the daemon, stopped at shutdown. */
public interface Frontend extends ExtensionPoint {
    /** Binds its listeners and starts serving; returns once clients can connect. */
    void start(FrontendContext context) throws Exception;

    /**
     * Stops accepting, lets requests in flight finish, closes connections. Called before the daemon
     * suspends its devices, so no request is lost.
     */
    void stop();

    /**
     * Reports the frontend's own metrics (connections, requests, errors) when the daemon is
     * scraped; called from any thread, must be cheap and must not throw. Since SPI 1.1. Default:
     * nothing.
     */
    default void metrics(MetricSink sink) {}
}
