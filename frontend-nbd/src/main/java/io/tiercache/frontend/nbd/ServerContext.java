package io.tiercache.frontend.nbd;

import io.tiercache.spi.frontend.Export;
import io.tiercache.spi.frontend.ExportRegistry;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executor;

/**
 * What every connection of one server shares: the exports, the settings, the executor that runs
 * block I/O off the event loops, the TLS context, the counters, and whether the server is stopping.
 */
final class ServerContext {
    /** Fired down every connection's pipeline when {@code stop()} begins. */
    enum Event { SHUTDOWN }

    private final ExportRegistry exports;
    private final NbdSettings settings;
    /** Runs the block I/O; the server owns it and shuts it down, connections only hand it work. */
    private final Executor ioExecutor;
    private final NbdTls tls;
    private final NbdStats stats = new NbdStats();
    private volatile boolean stopping;

    ServerContext(ExportRegistry exports, NbdSettings settings, Executor ioExecutor, NbdTls tls) {
        this.exports = exports;
        this.settings = settings;
        this.ioExecutor = ioExecutor;
        this.tls = tls;
    }

    NbdTls tls() {
        return tls;
    }

    ExportRegistry exports() {
        return exports;
    }

    NbdSettings settings() {
        return settings;
    }

    Executor ioExecutor() {
        return ioExecutor;
    }

    /** The server's counters: connections, requests, zero-copy replies. */
    NbdStats stats() {
        return stats;
    }

    boolean stopping() {
        return stopping;
    }

    void markStopping() {
        stopping = true;
    }

    /**
     * The export a client means: the empty name is the configured default export, or the only
     * export when there is exactly one (what {@code qemu-nbd} and {@code nbdkit} clients expect).
     */
    Optional<String> resolve(String requested) {
        if (!requested.isEmpty()) {
            return Optional.of(requested);
        }
        if (settings.defaultExport().isPresent()) {
            return settings.defaultExport();
        }
        List<String> names = exports.names();
        return names.size() == 1 ? Optional.of(names.getFirst()) : Optional.empty();
    }

    /** Opens the export a client asked for, counting it in the device's open count. */
    Optional<Export> open(String requested) {
        return resolve(requested).flatMap(exports::open);
    }
}
