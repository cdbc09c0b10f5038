package io.tiercache.frontend.nbd;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerDomainSocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.unix.DomainSocketAddress;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.tiercache.spi.frontend.ExportRegistry;
import io.tiercache.spi.metrics.MetricSink;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Netty side: picks the transport, binds the TCP and unix listeners, builds each connection's
 * pipeline (flush consolidation, the phase's decoder, the phase's handler) and shuts everything
 * down in order.
 *
 * <p>Block I/O runs on virtual threads, one per request ({@link #newIoExecutor}). Their number is bounded per connection
 * ({@code nbd.io-depth} running, plus the read back-pressure in {@link RequestHandler}), not
 * globally: a global bound would let one suspended device, whose requests wait, starve every other
 * device's connections.
 */
final class NbdServer {
    private static final Logger log = LoggerFactory.getLogger(NbdServer.class);
    static final String DECODER = "decoder";
    static final String HANDLER = "handler";
    static final String TLS = "tls";

    /** Large enough that a handful of 32 MiB read replies queue before reading pauses. */
    private static final WriteBufferWaterMark WATER_MARK = new WriteBufferWaterMark(16 << 20, 64 << 20);

    /**
     * Pooled, with thread caches only on the event loops. By default Netty gives every thread that
     * allocates a cache of its own, and building one is costly; an I/O thread here is a virtual
     * thread that lives for one request, so each request would build (and drop) a cache.
     */
    static final PooledByteBufAllocator ALLOCATOR = new PooledByteBufAllocator(true,
            PooledByteBufAllocator.defaultNumHeapArena(), PooledByteBufAllocator.defaultNumDirectArena(),
            PooledByteBufAllocator.defaultPageSize(), PooledByteBufAllocator.defaultMaxOrder(),
            PooledByteBufAllocator.defaultSmallCacheSize(), PooledByteBufAllocator.defaultNormalCacheSize(), false);

    /**
     * Reads grow up to 1 MiB (Netty stops at 64 KiB by default): a large WRITE then arrives in a
     * few reads, mostly whole, and goes to the device without a copy; small requests come in batches.
     */
    private static final AdaptiveRecvByteBufAllocator RECEIVE_SIZES = new AdaptiveRecvByteBufAllocator(512, 16 << 10, 1 << 20);

    private final NbdSettings settings;
    private final ExportRegistry exports;
    private final List<Channel> listeners = new ArrayList<>();
    private EventLoopGroup group;
    private ExecutorService ioExecutor;
    private ServerContext context;
    private ChannelGroup connections;
    private boolean epoll;
    private InetSocketAddress tcpAddress;
    private Path socketPath;

    NbdServer(NbdSettings settings, ExportRegistry exports) {
        this.settings = settings;
        this.exports = exports;
    }

    /**
     * The threads that call the device: a virtual thread per request. Blocking is cheap there (a
     * suspended device, a slow origin), and switching between them costs no kernel context switch:
     * at 4 KiB, queue depth 32, twice the IOPS of a cached pool of platform threads (interleaved
     * A/B). Unnamed: a name would be a string built per request. They must not allocate from
     * Netty's pools, whose thread-local state would be built anew for each one (see
     * {@link RequestHandler}: buffers come from the event loop).
     */
    static ExecutorService newIoExecutor() {
        return Executors.newThreadPerTaskExecutor(Thread.ofVirtual().factory());
    }

    void start() throws Exception {
        NbdTls tls = NbdTls.from(settings.tls());
        epoll = useEpoll(settings.transport());
        int threads = Math.max(1, Runtime.getRuntime().availableProcessors());
        group = new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory("nbd-loop", true),
                epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
        ioExecutor = newIoExecutor();
        context = new ServerContext(exports, settings, ioExecutor, tls);
        connections = new DefaultChannelGroup("nbd-connections", GlobalEventExecutor.INSTANCE);
        try {
            if (settings.tcp().isPresent()) {
                Channel ch = bind(tcpServerClass(), settings.tcp().get(), true);
                tcpAddress = (InetSocketAddress) ch.localAddress();
            }
            if (settings.socket().isPresent()) {
                Path path = settings.socket().get().toAbsolutePath();
                removeStaleSocket(path);
                bind(unixServerClass(), epoll ? new DomainSocketAddress(path.toString()) : UnixDomainSocketAddress.of(path), false);
                socketPath = path;
            }
        } catch (Exception e) {
            stop();
            throw e;
        }
        log.info("NBD server listening on {}{} ({} transport, TLS {})", tcpAddress == null ? "" : tcpAddress,
                socketPath == null ? "" : (tcpAddress == null ? "" : " and ") + "unix:" + socketPath, epoll ? "epoll" : "nio",
                settings.tls().mode().name().toLowerCase(java.util.Locale.ROOT));
    }

    Optional<InetSocketAddress> tcpAddress() {
        return Optional.ofNullable(tcpAddress);
    }

    Optional<Path> socketPath() {
        return Optional.ofNullable(socketPath);
    }

    long zeroCopyReplies() {
        return context == null ? 0 : context.stats().zeroCopyReplies();
    }

    void report(MetricSink sink) {
        if (context != null) {
            context.stats().report(sink);
        }
    }

    boolean epoll() {
        return epoll;
    }

    private static boolean useEpoll(NbdSettings.Transport transport) {
        return switch (transport) {
            case NIO -> false;
            case AUTO -> Epoll.isAvailable();
            case EPOLL -> {
                if (!Epoll.isAvailable()) {
                    throw new IllegalStateException("nbd.transport=epoll, but epoll is unavailable: "
                            + Epoll.unavailabilityCause());
                }
                yield true;
            }
        };
    }

    private Class<? extends ServerChannel> tcpServerClass() {
        return epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
    }

    private Class<? extends ServerChannel> unixServerClass() {
        return epoll ? EpollServerDomainSocketChannel.class : NioServerDomainSocketChannel.class;
    }

    private Channel bind(Class<? extends ServerChannel> channelClass, SocketAddress address, boolean tcp)
            throws InterruptedException {
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(group)
                .channel(channelClass)
                .option(ChannelOption.SO_BACKLOG, 128)
                .childOption(ChannelOption.ALLOCATOR, ALLOCATOR)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, WATER_MARK)
                .childOption(ChannelOption.RECVBUF_ALLOCATOR, RECEIVE_SIZES)
                .childHandler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        initConnection(ch, tcp);
                    }
                });
        if (tcp) {
            bootstrap.option(ChannelOption.SO_REUSEADDR, true)
                    .childOption(ChannelOption.TCP_NODELAY, true) // replies are latency-bound
                    .childOption(ChannelOption.SO_KEEPALIVE, true);
        }
        Channel ch = bootstrap.bind(address).sync().channel();
        listeners.add(ch);
        return ch;
    }

    private void initConnection(Channel ch, boolean tcp) {
        if (context.stopping()) {
            ch.close();
            return;
        }
        connections.add(ch);
        NbdStats stats = context.stats();
        stats.connected(tcp);
        ch.closeFuture().addListener(f -> stats.disconnected(tcp));
        ch.pipeline()
                .addLast("flush", new FlushConsolidationHandler(256, true))
                .addLast(DECODER, new HandshakeDecoder())
                .addLast(HANDLER, new HandshakeHandler(context));
        log.debug("{}: connected", ch.remoteAddress());
    }

    /**
     * A socket file left by a server that died is removed; one a live server still answers on, or
     * anything that is not a socket, is left alone and fails the start.
     */
    private static void removeStaleSocket(Path path) throws IOException {
        if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        int mode = (Integer) Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS);
        if ((mode & 0170000) != 0140000) {
            throw new IOException(path + " exists and is not a socket");
        }
        if (answers(path)) {
            throw new IOException(path + " is in use by another server");
        }
        Files.delete(path);
    }

    private static boolean answers(Path path) {
        try (SocketChannel probe = SocketChannel.open(UnixDomainSocketAddress.of(path))) {
            return probe.isConnected();
        } catch (IOException e) {
            return false; // refused: nobody listens, the file is stale
        }
    }

    /**
     * Stops accepting, lets each connection finish the requests it has in flight (new ones get
     * ESHUTDOWN), closes them, then shuts down the I/O executor and the event loops. Idempotent.
     */
    synchronized void stop() {
        if (group == null) {
            return;
        }
        context.markStopping();
        for (Channel listener : listeners) {
            listener.close().awaitUninterruptibly();
        }
        long timeoutMs = settings.shutdownTimeout().toMillis();
        connections.forEach(ch -> ch.pipeline().fireUserEventTriggered(ServerContext.Event.SHUTDOWN));
        if (!connections.newCloseFuture().awaitUninterruptibly(timeoutMs)) {
            log.warn("{} NBD connection(s) still busy after {} ms; closing them", connections.size(), timeoutMs);
            connections.close().awaitUninterruptibly(5_000);
        }
        ioExecutor.shutdown();
        try {
            if (!ioExecutor.awaitTermination(timeoutMs, TimeUnit.MILLISECONDS)) {
                log.warn("NBD requests still blocked in the device after {} ms; abandoning them", timeoutMs);
                ioExecutor.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        group.shutdownGracefully(0, 5, TimeUnit.SECONDS).awaitUninterruptibly(10_000);
        deleteSocket();
        group = null;
        log.info("NBD server stopped");
    }

    private void deleteSocket() {
        if (socketPath != null) {
            try {
                Files.deleteIfExists(socketPath);
            } catch (IOException e) {
                log.warn("could not remove {}", socketPath, e);
            }
        }
    }
}
