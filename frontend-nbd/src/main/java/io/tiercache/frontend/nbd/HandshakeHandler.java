package io.tiercache.frontend.nbd;

import static io.tiercache.frontend.nbd.NbdConstants.*;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.concurrent.ScheduledFuture;
import io.tiercache.frontend.nbd.HandshakeDecoder.ClientFlags;
import io.tiercache.frontend.nbd.HandshakeDecoder.Option;
import io.tiercache.spi.frontend.Export;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The fixed-newstyle handshake: greets the client, checks its flags, answers options one at a time
 * and, once an export is selected ({@code GO} or {@code EXPORT_NAME}), swaps itself and the decoder
 * for the transmission phase.
 *
 * <p>The options that change how the two sides talk (structured replies, meta contexts, STARTTLS)
 * are {@link Negotiation}'s; what they agreed is handed to the transmission phase.
 *
 * <p>Runs on the event loop. The only calls it makes into the daemon are the registry's (names,
 * descriptions, opening an export and reading its size), which are bookkeeping, not block I/O.
 */
final class HandshakeHandler extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(HandshakeHandler.class);

    /** A client that neither selects an export nor leaves within this time is dropped. */
    static final long HANDSHAKE_TIMEOUT_SECONDS = 60;

    private final ServerContext server;
    private boolean flagsReceived;
    private boolean noZeroes;
    private int optionCount;
    private ScheduledFuture<?> timeout;
    private final Negotiation negotiation;

    HandshakeHandler(ServerContext server) {
        this.server = server;
        this.negotiation = new Negotiation(server);
    }

    /**
     * The flags advertised for an export: everything we accept, read-only when it is, DF only with
     * structured replies (the protocol forbids it otherwise), multi-conn when the export's flush is
     * global.
     */
    static int transmissionFlags(Export export, boolean structured) {
        int flags = TFLAG_HAS_FLAGS | TFLAG_SEND_FLUSH | TFLAG_SEND_FUA | TFLAG_SEND_TRIM
                | TFLAG_SEND_WRITE_ZEROES | TFLAG_SEND_CACHE | TFLAG_SEND_FAST_ZERO;
        if (structured) {
            flags |= TFLAG_SEND_DF;
        }
        if (export.multiConn()) {
            flags |= TFLAG_CAN_MULTI_CONN;
        }
        return export.readOnly() ? flags | TFLAG_READ_ONLY : flags;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        // The server speaks first, without waiting for the client.
        ByteBuf greeting = ctx.alloc().buffer(18).writeLong(NBDMAGIC).writeLong(IHAVEOPT).writeShort(SERVER_HANDSHAKE_FLAGS);
        ctx.writeAndFlush(greeting);
        timeout = ctx.executor().schedule(() -> {
            log.debug("{}: handshake timed out", ctx.channel().remoteAddress());
            ctx.close();
        }, HANDSHAKE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        ctx.fireChannelActive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        if (timeout != null) {
            timeout.cancel(false);
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        switch (msg) {
            case ClientFlags f -> onClientFlags(ctx, f.flags());
            case Option o -> {
                try {
                    onOption(ctx, o);
                } finally {
                    o.release();
                }
            }
            default -> ctx.fireChannelRead(msg);
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt == ServerContext.Event.SHUTDOWN) {
            ctx.close(); // nothing is in flight during the handshake: options are answered inline
        } else {
            ctx.fireUserEventTriggered(evt);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("{}: closing after error in handshake", ctx.channel().remoteAddress(), cause);
        ctx.close();
    }

    private void onClientFlags(ChannelHandlerContext ctx, int flags) {
        if ((flags & ~(CLIENT_FIXED_NEWSTYLE | CLIENT_NO_ZEROES)) != 0 || (flags & CLIENT_FIXED_NEWSTYLE) == 0) {
            // Unknown bits, or a client that cannot do fixed newstyle (the only style we speak).
            log.debug("{}: unsupported client flags {}, closing", ctx.channel().remoteAddress(), Integer.toHexString(flags));
            ctx.close();
            return;
        }
        flagsReceived = true;
        noZeroes = (flags & CLIENT_NO_ZEROES) != 0;
    }

    private void onOption(ChannelHandlerContext ctx, Option o) {
        if (!flagsReceived || !ctx.channel().isActive()) {
            return; // the connection is being closed; whatever follows is noise
        }
        if (++optionCount > MAX_OPTIONS) {
            log.debug("{}: more than {} options, closing", ctx.channel().remoteAddress(), MAX_OPTIONS);
            ctx.close();
            return;
        }
        if (server.stopping() && o.code() != OPT_ABORT) {
            reply(ctx, OptionReplies.error(ctx.alloc(), o.code(), REP_ERR_SHUTDOWN, "server is shutting down"))
                    .addListener(ChannelFutureListener.CLOSE);
            return;
        }
        if (server.tls().required() && !negotiation.tlsActive() && o.code() != OPT_STARTTLS && o.code() != OPT_ABORT) {
            tlsRequired(ctx, o.code());
            return;
        }
        if (o.payload() == null && o.code() != OPT_ABORT) {
            onOversizeOption(ctx, o);
            return;
        }
        switch (o.code()) {
            case OPT_EXPORT_NAME -> onExportName(ctx, o.payload());
            case OPT_ABORT -> onAbort(ctx);
            case OPT_LIST -> onList(ctx, o.payload());
            case OPT_STARTTLS -> negotiation.onStartTls(ctx, o.payload());
            case OPT_INFO, OPT_GO -> onInfoOrGo(ctx, o.code(), o.payload());
            case OPT_STRUCTURED_REPLY -> negotiation.onStructuredReply(ctx, o.payload());
            case OPT_LIST_META_CONTEXT, OPT_SET_META_CONTEXT -> negotiation.onMetaContext(ctx, o.code(), o.payload());
            default -> unsupported(ctx, o.code());
        }
    }

    /** {@code nbd.tls=require} and no TLS yet: nothing but STARTTLS and ABORT is served. */
    private void tlsRequired(ChannelHandlerContext ctx, int code) {
        if (code == OPT_EXPORT_NAME) {
            log.debug("{}: EXPORT_NAME without TLS, which is required; closing", ctx.channel().remoteAddress());
            ctx.close(); // EXPORT_NAME has no error reply
        } else {
            reply(ctx, OptionReplies.error(ctx.alloc(), code, REP_ERR_TLS_REQD, "TLS is required"));
        }
    }

    /** Options we know never need more than a few KiB; unknown ones are simply unsupported. */
    private void onOversizeOption(ChannelHandlerContext ctx, Option o) {
        switch (o.code()) {
            case OPT_EXPORT_NAME -> ctx.close(); // no way to report an error for it
            case OPT_LIST, OPT_INFO, OPT_GO, OPT_STARTTLS, OPT_STRUCTURED_REPLY, OPT_LIST_META_CONTEXT,
                    OPT_SET_META_CONTEXT, OPT_EXTENDED_HEADERS ->
                reply(ctx, OptionReplies.error(ctx.alloc(), o.code(), REP_ERR_TOO_BIG, "option too long"));
            default -> unsupported(ctx, o.code());
        }
    }

    private void unsupported(ChannelHandlerContext ctx, int code) {
        // EXTENDED_HEADERS lands here too: every client falls back to compact headers.
        reply(ctx, OptionReplies.error(ctx.alloc(), code, REP_ERR_UNSUP, "option not supported"));
    }

    private void onAbort(ChannelHandlerContext ctx) {
        // The client may already have closed; a failed write is then expected, and CLOSE still closes.
        reply(ctx, OptionReplies.empty(ctx.alloc(), OPT_ABORT, REP_ACK)).addListener(ChannelFutureListener.CLOSE);
    }

    private void onList(ChannelHandlerContext ctx, ByteBuf payload) {
        if (payload.isReadable()) {
            reply(ctx, OptionReplies.error(ctx.alloc(), OPT_LIST, REP_ERR_INVALID, "LIST takes no payload"));
            return;
        }
        for (String name : server.exports().names()) {
            String description = server.exports().describe(name).orElse("");
            ctx.write(OptionReplies.server(ctx.alloc(), OPT_LIST, name, description));
        }
        reply(ctx, OptionReplies.empty(ctx.alloc(), OPT_LIST, REP_ACK));
    }

    private void onExportName(ChannelHandlerContext ctx, ByteBuf payload) {
        if (payload.readableBytes() > MAX_STRING) {
            ctx.close();
            return;
        }
        String name = payload.toString(StandardCharsets.UTF_8);
        Optional<Export> opened = open(ctx, name);
        if (opened.isEmpty()) {
            log.debug("{}: EXPORT_NAME for unknown export '{}', closing", ctx.channel().remoteAddress(), name);
            ctx.close(); // EXPORT_NAME has no error reply
            return;
        }
        Export export = opened.get();
        long size;
        try {
            size = export.size();
        } catch (RuntimeException e) {
            export.close();
            log.warn("{}: export '{}' failed to report its size, closing", ctx.channel().remoteAddress(), name, e);
            ctx.close();
            return;
        }
        int padding = noZeroes ? 0 : 124;
        int flags = transmissionFlags(export, negotiation.structured());
        ByteBuf buf = ctx.alloc().buffer(10 + padding).writeLong(size).writeShort(flags).writeZero(padding);
        ctx.writeAndFlush(buf);
        enterTransmission(ctx, export, size, server.resolve(name));
    }

    private void onInfoOrGo(ChannelHandlerContext ctx, int code, ByteBuf payload) {
        InfoRequest request = InfoRequest.parse(payload);
        if (request == null) {
            reply(ctx, OptionReplies.error(ctx.alloc(), code, REP_ERR_INVALID, "malformed request"));
            return;
        }
        Optional<Export> opened = open(ctx, request.name());
        if (opened.isEmpty()) {
            reply(ctx, OptionReplies.error(ctx.alloc(), code, REP_ERR_UNKNOWN, MSG_UNKNOWN_EXPORT));
            return;
        }
        Export export = opened.get();
        boolean handedOver = false;
        try {
            long size = export.size();
            writeInfos(ctx, code, export, size, request);
            reply(ctx, OptionReplies.empty(ctx.alloc(), code, REP_ACK));
            if (code == OPT_GO) {
                enterTransmission(ctx, export, size, server.resolve(request.name()));
                handedOver = true;
            }
        } catch (RuntimeException e) {
            log.warn("{}: export '{}' failed during {}", ctx.channel().remoteAddress(), export.name(), code == OPT_GO ? "GO" : "INFO", e);
            reply(ctx, OptionReplies.error(ctx.alloc(), code, REP_ERR_UNKNOWN, "export unavailable"));
        } finally {
            if (!handedOver) {
                export.close(); // INFO only looks; it must not keep the device open
            }
        }
    }

    private void writeInfos(ChannelHandlerContext ctx, int code, Export export, long size, InfoRequest request) {
        ByteBufAllocator alloc = ctx.alloc();
        ctx.write(OptionReplies.infoExport(alloc, code, size, transmissionFlags(export, negotiation.structured())));
        if (request.wants(INFO_NAME)) {
            ctx.write(OptionReplies.infoString(alloc, code, INFO_NAME, export.name()));
        }
        if (request.wants(INFO_DESCRIPTION)) {
            server.exports().describe(export.name()).filter(d -> !d.isEmpty())
                    .ifPresent(d -> ctx.write(OptionReplies.infoString(alloc, code, INFO_DESCRIPTION, d)));
        }
        if (request.wants(INFO_BLOCK_SIZE)) {
            ctx.write(OptionReplies.infoBlockSize(alloc, code));
        }
    }

    private void enterTransmission(ChannelHandlerContext ctx, Export export, long size, Optional<String> resolved) {
        Negotiated negotiated = negotiation.forExport(resolved);
        log.debug("{}: serving export '{}' ({} bytes, {})", ctx.channel().remoteAddress(), export.name(), size, negotiated);
        // Handler first, then decoder: bytes the old decoder still holds are handed to the new one,
        // and what it decodes must already find the request handler.
        int zeroCopyMin = server.settings().zeroCopyMinFor(ctx.channel().remoteAddress());
        ctx.pipeline().replace(this, NbdServer.HANDLER, new RequestHandler(server, export, size, negotiated, zeroCopyMin));
        ctx.pipeline().replace(NbdServer.DECODER, NbdServer.DECODER, new TransmissionDecoder());
    }

    private static ChannelFuture reply(ChannelHandlerContext ctx, ByteBuf buf) {
        return ctx.writeAndFlush(buf);
    }

    /** Opens an export; a registry that fails is treated like a missing export, and logged. */
    private Optional<Export> open(ChannelHandlerContext ctx, String name) {
        try {
            return server.open(name);
        } catch (RuntimeException e) {
            log.warn("{}: opening export '{}' failed", ctx.channel().remoteAddress(), name, e);
            return Optional.empty();
        }
    }
}
