package io.tiercache.frontend.nbd;

import static io.tiercache.frontend.nbd.NbdConstants.CMD_BLOCK_STATUS;
import static io.tiercache.frontend.nbd.NbdConstants.CMD_CACHE;
import static io.tiercache.frontend.nbd.NbdConstants.CMD_DISC;
import static io.tiercache.frontend.nbd.NbdConstants.CMD_READ;
import static io.tiercache.frontend.nbd.NbdConstants.CMD_WRITE;
import static io.tiercache.frontend.nbd.NbdConstants.ESHUTDOWN;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.util.concurrent.ScheduledFuture;
import io.tiercache.spi.frontend.Export;
import io.tiercache.spi.frontend.FileSpan;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The transmission phase of one connection: validates requests on the event loop, runs them on the
 * I/O executor, and writes each reply as soon as its request completes (out of order, as the
 * protocol allows, so a pipelining client keeps many requests in flight).
 *
 * <p>Every field is touched only on the channel's event loop; I/O threads hand their result back
 * with {@code eventLoop().execute}. At most {@code ioDepth} requests (and about 128 MiB of data)
 * run at once per connection; more wait in {@link #queued}. Reading stops while too many requests
 * or bytes are outstanding, or the socket's outbound buffer is full, so a fast client cannot make
 * us buffer without bound.
 *
 * <p>Zero-copy read replies keep the export's hold (the device counts the read in flight) until
 * the socket has taken the last byte. A client that stops reading would so stall a suspend of the
 * device for good; a connection whose zero-copy replies make no progress for
 * {@code nbd.zero-copy-timeout-ms} (30 s) is therefore closed.
 *
 * <p>How a connection ends decides what becomes of the requests it has sent. After a soft
 * disconnect ({@code DISC}) or a server stop, every request received before it still runs, even
 * when the client closes the socket at once: the protocol promises as much. After a hard
 * disconnect (the connection lost without {@code DISC}), requests that have not yet reached the
 * device are dropped: nobody will see their replies, a client that reconnects re-sends what it
 * still needs, and a stale write run late could land on top of the newer data it wrote since.
 * Requests already inside the device complete; that cannot be undone. A request whose only
 * product is its reply (READ, BLOCK_STATUS, the CACHE hint) never runs once the connection is gone.
 *
 * <p>The export is closed once the connection is gone and no I/O is running on it any more.
 */
final class RequestHandler extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(RequestHandler.class);

    /** Outstanding requests (running + queued) at which reading stops, and where it resumes. */
    static final int HIGH_WATER = 256;
    static final int LOW_WATER = 64;

    /**
     * Data of outstanding requests (WRITE payloads held, READ replies to come) at which reading
     * stops and where it resumes: without it, 256 pipelined 32 MiB writes would pin 8 GiB.
     */
    static final long HIGH_WATER_BYTES = 256L << 20;
    static final long LOW_WATER_BYTES = 64L << 20;

    /** Data of running requests above which no further one starts (one always may). */
    static final long MAX_RUNNING_BYTES = 128L << 20;

    private final ServerContext server;
    private final Export export;
    private final long size;
    private final boolean readOnly;
    private final int ioDepth;
    private final Negotiated negotiated;
    private final CommandRunner runner;
    private final long regionTimeoutNanos;
    private final ArrayDeque<NbdRequest> queued = new ArrayDeque<>();
    private final AtomicBoolean exportClosed = new AtomicBoolean();
    /** The connection was lost without DISC: requests not yet at the device are dropped. Read on I/O threads. */
    private volatile boolean abandoned;
    private ChannelHandlerContext ctx;
    private int outstanding;
    private long outstandingBytes;
    private int running;
    private long runningBytes;
    private boolean paused;
    private boolean draining;
    private boolean refusing;
    private boolean inactive;
    private int regionsInFlight;
    private long regionProgressNanos;
    private ScheduledFuture<?> regionWatch;

    RequestHandler(ServerContext server, Export export, long size, Negotiated negotiated, int zeroCopyMin) {
        this.server = server;
        this.export = export;
        this.size = size; // what the client was told; a device resized later still checks its own
        this.readOnly = export.readOnly();
        this.ioDepth = server.settings().ioDepth();
        this.negotiated = negotiated;
        this.runner = new CommandRunner(export, negotiated, zeroCopyMin);
        this.regionTimeoutNanos = server.settings().zeroCopyTimeout().toNanos();
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        if (server.stopping()) {
            beginShutdown(); // stop() raced with the handshake; this connection missed the event
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof NbdRequest req)) {
            ctx.fireChannelRead(msg);
            return;
        }
        if ((draining && !refusing) || inactive) {
            req.release(); // nothing may follow DISC; after close nobody would read a reply
            return;
        }
        if (req.type() == CMD_DISC) {
            server.stats().request(CMD_DISC, 0);
            req.release();
            draining = true;
            afterChange();
            return;
        }
        accept(req);
        afterChange();
    }

    private void accept(NbdRequest req) {
        int error = refusing ? ESHUTDOWN : RequestValidator.check(req, size, readOnly, negotiated);
        if (error != 0) {
            server.stats().request(req.type(), error);
            req.release();
            ctx.writeAndFlush(Replies.error(ctx.alloc(), negotiated.structured(), req, error), ctx.voidPromise());
            return;
        }
        outstanding++;
        outstandingBytes += cost(req);
        queued.add(req);
        startQueued();
    }

    private void startQueued() {
        while (!queued.isEmpty() && canStart(queued.peek())) {
            start(queued.poll());
        }
    }

    private boolean canStart(NbdRequest req) {
        return running == 0 || (running < ioDepth && runningBytes + cost(req) <= MAX_RUNNING_BYTES);
    }

    private static long cost(NbdRequest req) {
        return req.type() == CMD_READ || req.type() == CMD_WRITE ? req.length() : 0;
    }

    private void start(NbdRequest req) {
        running++;
        runningBytes += cost(req);
        ByteBuf buf = runner.replyBuffer(ctx.alloc(), req);
        try {
            server.ioExecutor().execute(() -> runOnIoThread(req, buf));
        } catch (RejectedExecutionException e) {
            // The executor is shutting down: the server is stopping.
            if (buf != null) {
                buf.release();
            }
            finished(req, (Object) ESHUTDOWN);
            req.release();
        }
    }

    /**
     * On an I/O thread: do the blocking work, then hand the outcome back to the event loop. Reads
     * and writes take nothing from Netty's pools here: buffers come from the loop, and errnos
     * become replies there (only the rarer BLOCK_STATUS replies and reads with holes allocate).
     */
    private void runOnIoThread(NbdRequest req, ByteBuf buf) {
        Object outcome;
        if (abandoned || (answerOnly(req) && !ctx.channel().isActive())) {
            req.release(); // see the class comment: nobody is left to read the reply
            if (buf != null) {
                buf.release();
            }
            outcome = ESHUTDOWN; // never sent: the connection is gone
        } else {
            outcome = runner.run(ctx.alloc(), req, buf);
        }
        try {
            ctx.executor().execute(() -> finished(req, outcome));
        } catch (RejectedExecutionException e) {
            // The event loops are already gone (stop() gave up waiting for this request): the
            // connection is closed, so only the export is left to release.
            release(outcome);
            closeExport();
        }
    }

    /** Requests that change nothing on the device: their reply is all they are for. */
    private static boolean answerOnly(NbdRequest req) {
        return req.type() == CMD_READ || req.type() == CMD_BLOCK_STATUS || req.type() == CMD_CACHE;
    }

    private void finished(NbdRequest req, Object outcome) {
        server.stats().request(req.type(), outcome instanceof Integer errno ? errno : 0);
        running--;
        runningBytes -= cost(req);
        outstanding--;
        outstandingBytes -= cost(req);
        if (inactive) {
            release(outcome);
        } else {
            Object reply = runner.reply(ctx.alloc(), req, outcome);
            if (reply instanceof RegionReply r) {
                writeRegions(r);
            } else {
                ctx.writeAndFlush(reply, ctx.voidPromise());
            }
        }
        startQueued();
        afterChange();
    }

    private static void release(Object reply) {
        switch (reply) {
            case RegionReply r -> r.release();
            case ByteBuf b -> b.release();
            case Integer errno -> { } // not built yet: nothing to release
            default -> throw new IllegalStateException("unknown reply " + reply);
        }
    }

    /**
     * Header, then one file region per span, queued back to back on the event loop so no other
     * reply can come between them; the export's hold ends when the last region has been written
     * (or has failed to be, when the connection went away).
     */
    private void writeRegions(RegionReply r) {
        if (regionsInFlight++ == 0) {
            regionProgressNanos = System.nanoTime();
            watchRegions();
        }
        ctx.write(r.head(), ctx.voidPromise());
        List<FileSpan> spans = r.regions().spans();
        for (int i = 0; i < spans.size() - 1; i++) {
            ctx.write(new DeviceFileRegion(spans.get(i)), ctx.voidPromise());
        }
        server.stats().zeroCopyReply();
        ChannelPromise sent = ctx.newPromise();
        sent.addListener(f -> {
            regionsInFlight--;
            regionProgressNanos = System.nanoTime();
            r.regions().close();
        });
        ctx.writeAndFlush(new DeviceFileRegion(spans.getLast()), sent);
    }

    private void watchRegions() {
        if (regionWatch == null) {
            regionWatch = ctx.executor().schedule(this::checkRegions, regionTimeoutNanos / 4, TimeUnit.NANOSECONDS);
        }
    }

    private void checkRegions() {
        regionWatch = null;
        if (regionsInFlight == 0 || !ctx.channel().isActive()) {
            return;
        }
        if (System.nanoTime() - regionProgressNanos > regionTimeoutNanos) {
            log.warn("{}: client took no data for {} ms while holding device '{}'; closing",
                    ctx.channel().remoteAddress(), TimeUnit.NANOSECONDS.toMillis(regionTimeoutNanos), export.name());
            ctx.close();
        } else {
            watchRegions();
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        afterChange();
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt == ServerContext.Event.SHUTDOWN) {
            beginShutdown();
        } else {
            ctx.fireUserEventTriggered(evt);
        }
    }

    /** Requests already received still run; any still arriving get ESHUTDOWN; then we close. */
    private void beginShutdown() {
        draining = true;
        refusing = true;
        afterChange();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        cleanUp();
        ctx.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        cleanUp(); // the pipeline is torn down after channelInactive; this only covers odd paths
    }

    /**
     * The connection is gone. After DISC or a stop, what is queued still runs (as running requests
     * finish); after a hard disconnect it is dropped. The export goes when I/O has drained.
     */
    private void cleanUp() {
        inactive = true;
        if (!draining) {
            abandoned = true;
            for (NbdRequest req; (req = queued.poll()) != null; ) {
                req.release();
                outstanding--;
                outstandingBytes -= cost(req);
            }
        }
        startQueued();
        afterChange();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("{}: closing after error", ctx.channel().remoteAddress(), cause);
        ctx.close();
    }

    /** Re-evaluates reading, draining and the export after any change of state. */
    private void afterChange() {
        if (inactive) {
            if (running == 0) {
                closeExport();
            }
            return;
        }
        if (draining && outstanding == 0) {
            // Close only after every reply written so far has left.
            ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
            inactive = true; // nothing more to accept; channelInactive will follow
            return;
        }
        if (outstanding >= HIGH_WATER || outstandingBytes >= HIGH_WATER_BYTES) {
            paused = true;
        } else if (outstanding <= LOW_WATER && outstandingBytes <= LOW_WATER_BYTES) {
            paused = false;
        }
        boolean read = !paused && !(draining && !refusing) && ctx.channel().isWritable();
        if (ctx.channel().config().isAutoRead() != read) {
            ctx.channel().config().setAutoRead(read);
        }
    }

    private void closeExport() {
        if (exportClosed.compareAndSet(false, true)) {
            log.debug("{}: releasing export '{}'", ctx.channel().remoteAddress(), export.name());
            try {
                export.close();
            } catch (RuntimeException e) {
                log.warn("closing export '{}' failed", export.name(), e);
            }
        }
    }
}
