package io.tiercache.frontend.nbd;

import io.tiercache.spi.frontend.FrontendContext;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/**
 * The frontend's settings, read once from the daemon's configuration.
 *
 * @param tcp where to listen for TCP, or empty when {@code nbd.listen=none}
 * @param socket a unix socket path to listen on as well, if any
 * @param transport which Netty transport to use
 * @param defaultExport the export a client gets when it asks for the empty name, if configured
 * @param ioDepth how many requests of one connection may run against the device at once
 * @param shutdownTimeout how long {@code stop()} waits for requests in flight
 */
record NbdSettings(
        Optional<InetSocketAddress> tcp,
        Optional<Path> socket,
        Transport transport,
        Optional<String> defaultExport,
        int ioDepth,
        Duration shutdownTimeout) {

    static final String LISTEN = "nbd.listen";
    static final String SOCKET = "nbd.socket";
    static final String TRANSPORT = "nbd.transport";
    static final String DEFAULT_EXPORT = "nbd.default-export";
    static final String IO_DEPTH = "nbd.io-depth";
    static final String SHUTDOWN_TIMEOUT = "nbd.shutdown-timeout-ms";
    static final String DEFAULT_LISTEN = "127.0.0.1:10809";

    NbdSettings {
        if (tcp.isEmpty() && socket.isEmpty()) {
            throw new IllegalArgumentException("nbd.listen=none needs nbd.socket");
        }
        if (ioDepth < 1) {
            throw new IllegalArgumentException(IO_DEPTH + " must be at least 1");
        }
    }

    static NbdSettings from(FrontendContext context) {
        String listen = context.setting(LISTEN).map(String::strip).orElse(DEFAULT_LISTEN);
        Optional<InetSocketAddress> tcp =
                listen.isEmpty() || listen.equalsIgnoreCase("none") ? Optional.empty() : Optional.of(parseListen(listen));
        Optional<Path> socket = context.setting(SOCKET).map(String::strip).filter(s -> !s.isEmpty()).map(Path::of);
        Transport transport = Transport.parse(context.setting(TRANSPORT).orElse("auto"));
        Optional<String> defaultExport = context.setting(DEFAULT_EXPORT).filter(s -> !s.isEmpty());
        int ioDepth = context.setting(IO_DEPTH).map(v -> parseInt(IO_DEPTH, v)).orElse(64);
        Duration timeout = Duration.ofMillis(
                context.setting(SHUTDOWN_TIMEOUT).map(v -> parseInt(SHUTDOWN_TIMEOUT, v)).orElse(30_000));
        return new NbdSettings(tcp, socket, transport, defaultExport, ioDepth, timeout);
    }

    /** Parses {@code HOST:PORT}, {@code [IPV6]:PORT} or {@code :PORT} (all interfaces). */
    static InetSocketAddress parseListen(String value) {
        int colon = value.lastIndexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException(LISTEN + " must be HOST:PORT, got '" + value + "'");
        }
        String host = value.substring(0, colon);
        int port = parseInt(LISTEN, value.substring(colon + 1));
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException(LISTEN + ": port out of range in '" + value + "'");
        }
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        } else if (host.indexOf(':') >= 0) {
            throw new IllegalArgumentException(LISTEN + ": write IPv6 addresses as [ADDR]:PORT, got '" + value + "'");
        }
        // The literal is resolved now, so a typo fails start() instead of the first bind.
        return host.isEmpty() || host.equals("*") ? new InetSocketAddress(port) : new InetSocketAddress(host, port);
    }

    private static int parseInt(String key, String value) {
        try {
            return Integer.parseInt(value.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + ": not a number: '" + value + "'", e);
        }
    }

    /** The Netty transport; epoll is preferred because it is Linux's native one. */
    enum Transport {
        EPOLL,
        NIO,
        AUTO;

        static Transport parse(String value) {
            try {
                return valueOf(value.strip().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(TRANSPORT + " must be epoll, nio or auto, got '" + value + "'", e);
            }
        }
    }
}
