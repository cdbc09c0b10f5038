package io.tiercache.frontend.nbd;

import io.tiercache.spi.ExtensionName;
import io.tiercache.spi.frontend.Frontend;
import io.tiercache.spi.frontend.FrontendContext;
import io.tiercache.spi.metrics.MetricSink;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.Optional;
import org.pf4j.Extension;

/**
 * Serves every exportable device over NBD (fixed newstyle), on TCP and optionally a unix socket.
 *
 * <p>Settings: {@code nbd.listen} ({@code HOST:PORT}, {@code [IPV6]:PORT}, or {@code none}; default
 * {@code 127.0.0.1:10809}; port 0 picks a free port, see {@link #tcpAddress()}), {@code nbd.socket}
 * (a unix socket path), {@code nbd.transport} ({@code epoll}, {@code nio} or {@code auto}),
 * {@code nbd.default-export} (what the empty export name means), {@code nbd.io-depth} (requests
 * of one connection running at once, default 64), {@code nbd.shutdown-timeout-ms}, TLS
 * ({@code nbd.tls} = off|on|require, {@code nbd.tls.cert}, {@code nbd.tls.key}, {@code nbd.tls.ca})
 * and zero copy ({@code nbd.zero-copy}, {@code nbd.zero-copy-min}, {@code nbd.zero-copy-timeout-ms}).
 * The module's README describes them.
 */
@Extension
@ExtensionName("nbd")
public final class NbdFrontend implements Frontend {
    /** Written under the lock; volatile so that a scrape reads it without waiting for a stop. */
    private volatile NbdServer server;

    /** Constructed by the host's injector. */
    public NbdFrontend() {}

    @Override
    public synchronized void start(FrontendContext context) throws Exception {
        if (server != null) {
            throw new IllegalStateException("NBD frontend already started");
        }
        NbdServer s = new NbdServer(NbdSettings.from(context), context.exports());
        s.start();
        server = s;
    }

    @Override
    public synchronized void stop() {
        if (server != null) {
            server.stop();
            server = null;
        }
    }

    /** Connections by transport, requests and failed requests by command, zero-copy replies. */
    @Override
    public void metrics(MetricSink sink) {
        NbdServer s = server;
        if (s != null) {
            s.report(sink);
        }
    }

    /** The bound TCP address (with the real port when 0 was asked for); empty if not listening. */
    public synchronized Optional<InetSocketAddress> tcpAddress() {
        return server == null ? Optional.empty() : server.tcpAddress();
    }

    /** The unix socket listened on, if any. */
    public synchronized Optional<Path> socketPath() {
        return server == null ? Optional.empty() : server.socketPath();
    }

    /** How many reads were answered by {@code sendfile} from the device's file so far. */
    public synchronized long zeroCopyReplies() {
        return server == null ? 0 : server.zeroCopyReplies();
    }

    /** Whether the native epoll transport is in use (else NIO). */
    public synchronized boolean usesEpoll() {
        return server != null && server.epoll();
    }
}
