package io.tiercache.frontend.nbd;

import io.tiercache.spi.frontend.FrontendContext;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
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
 * @param tls STARTTLS settings
 * @param zeroCopy where reads are sent with {@code sendfile} from the device's file
 * @param zeroCopyMin reads at least this long are sent that way, where the export can hand out
 *     file regions
 * @param zeroCopyTimeout how long zero-copy replies may sit unsent (holding their device, so that
 *     a suspend waits) before the connection is closed
 */
record NbdSettings(
        Optional<InetSocketAddress> tcp,
        Optional<Path> socket,
        Transport transport,
        Optional<String> defaultExport,
        int ioDepth,
        Duration shutdownTimeout,
        TlsSettings tls,
        ZeroCopy zeroCopy,
        int zeroCopyMin,
        Duration zeroCopyTimeout) {

    static final String LISTEN = "nbd.listen";
    static final String SOCKET = "nbd.socket";
    static final String TRANSPORT = "nbd.transport";
    static final String DEFAULT_EXPORT = "nbd.default-export";
    static final String IO_DEPTH = "nbd.io-depth";
    static final String SHUTDOWN_TIMEOUT = "nbd.shutdown-timeout-ms";
    static final String ZERO_COPY = "nbd.zero-copy";
    static final String ZERO_COPY_MIN = "nbd.zero-copy-min";
    static final String ZERO_COPY_TIMEOUT = "nbd.zero-copy-timeout-ms";
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
        ZeroCopy zeroCopy = ZeroCopy.parse(context.setting(ZERO_COPY).orElse("auto"));
        int zeroCopyMin = context.setting(ZERO_COPY_MIN).map(v -> parseInt(ZERO_COPY_MIN, v)).orElse(DEFAULT_ZERO_COPY_MIN);
        return new NbdSettings(tcp, socket, transport, defaultExport, ioDepth, timeout, TlsSettings.from(context),
                zeroCopy, Math.max(1, zeroCopyMin), Duration.ofMillis(
                        context.setting(ZERO_COPY_TIMEOUT).map(v -> parseInt(ZERO_COPY_TIMEOUT, v)).orElse(30_000)));
    }

    /**
     * Below this a read is copied: a {@code sendfile} costs a second system call after the header's
     * write, which for small reads outweighs the copy it saves (see bench/README.md).
     */
    static final int DEFAULT_ZERO_COPY_MIN = 64 << 10;

    /**
     * The smallest read sent by {@code sendfile} on a connection from {@code remote};
     * {@code Integer.MAX_VALUE} when none is.
     */
    int zeroCopyMinFor(SocketAddress remote) {
        boolean on = switch (zeroCopy) {
            case ON -> true;
            case OFF -> false;
            case AUTO -> !(remote instanceof InetSocketAddress inet && inet.getAddress() != null
                    && inet.getAddress().isLoopbackAddress());
        };
        return on ? zeroCopyMin : Integer.MAX_VALUE;
    }

    /**
     * Whether reads go out by {@code sendfile}. {@code auto}: on unix sockets and on TCP to other
     * hosts, not on loopback TCP, where the receiver copies the bytes anyway and splicing file
     * pages into the socket measured about twice as slow per byte as copying them (bench/README.md).
     */
    enum ZeroCopy {
        AUTO,
        ON,
        OFF;

        static ZeroCopy parse(String value) {
            return switch (value.strip().toLowerCase(Locale.ROOT)) {
                case "auto" -> AUTO;
                case "on", "true", "yes" -> ON;
                case "off", "false", "no" -> OFF;
                default -> throw new IllegalArgumentException(ZERO_COPY + " must be auto, on or off, got '" + value + "'");
            };
        }
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
