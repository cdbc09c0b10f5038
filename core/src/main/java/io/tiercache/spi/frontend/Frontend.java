package io.tiercache.spi.frontend;

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
}
