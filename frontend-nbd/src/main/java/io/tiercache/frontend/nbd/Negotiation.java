package io.tiercache.frontend.nbd;

import static io.tiercache.frontend.nbd.NbdConstants.*;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.tiercache.frontend.nbd.Negotiated.SelectedContext;
import io.tiercache.spi.frontend.BlockStatusContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The handshake options that change how both sides talk in transmission: STRUCTURED_REPLY,
 * LIST/SET_META_CONTEXT and STARTTLS, and what they agreed so far. STARTTLS forgets everything
 * negotiated before it, as the protocol asks (a man in the middle could have chosen it).
 *
 * <p>Lives on the connection's event loop, like the {@link HandshakeHandler} that owns it.
 */
final class Negotiation {
    private static final Logger log = LoggerFactory.getLogger(Negotiation.class);

    private final ServerContext server;
    private boolean tlsActive;
    private boolean structured;
    private List<SelectedContext> contexts = List.of();
    private String contextsExport; // the (resolved) export the contexts were selected for
    private int nextContextId = 1;

    Negotiation(ServerContext server) {
        this.server = server;
    }

    boolean tlsActive() {
        return tlsActive;
    }

    boolean structured() {
        return structured;
    }

    /** What the transmission phase gets; contexts selected for another export do not apply. */
    Negotiated forExport(Optional<String> resolvedExport) {
        boolean same = Objects.equals(contextsExport, resolvedExport.orElse(null));
        return new Negotiated(structured, structured && same ? contexts : List.of(), tlsActive);
    }

    void onStructuredReply(ChannelHandlerContext ctx, ByteBuf payload) {
        if (payload.isReadable()) {
            reply(ctx, OptionReplies.error(ctx.alloc(), OPT_STRUCTURED_REPLY, REP_ERR_INVALID, "no payload expected"));
        } else if (structured) {
            reply(ctx, OptionReplies.error(ctx.alloc(), OPT_STRUCTURED_REPLY, REP_ERR_INVALID, "already negotiated"));
        } else {
            structured = true;
            reply(ctx, OptionReplies.empty(ctx.alloc(), OPT_STRUCTURED_REPLY, REP_ACK));
        }
    }

    /**
     * LIST answers the contexts that match (id 0); SET replaces the selection, even when it fails,
     * and gives each selected context a fresh id.
     */
    void onMetaContext(ChannelHandlerContext ctx, int code, ByteBuf payload) {
        boolean set = code == OPT_SET_META_CONTEXT;
        if (set) {
            contexts = List.of();
            contextsExport = null;
        }
        try {
            if (set && !structured) {
                throw new OptionException(REP_ERR_INVALID, "structured replies not negotiated");
            }
            MetaContextRequest request = MetaContextRequest.parse(payload);
            String export = existingExport(request.exportName());
            List<SelectedContext> chosen = new ArrayList<>();
            for (BlockStatusContext c : set ? request.selected() : request.listed()) {
                int id = set ? nextContextId++ : 0;
                chosen.add(new SelectedContext(id, c));
                ctx.write(OptionReplies.metaContext(ctx.alloc(), code, id, c.contextName()));
            }
            if (set) {
                contexts = List.copyOf(chosen);
                contextsExport = export;
            }
            reply(ctx, OptionReplies.empty(ctx.alloc(), code, REP_ACK));
        } catch (OptionException e) {
            reply(ctx, OptionReplies.error(ctx.alloc(), code, e.replyType(), e.getMessage()));
        }
    }

    private String existingExport(String requested) throws OptionException {
        try {
            Optional<String> name = server.resolve(requested);
            if (name.isPresent() && server.exports().describe(name.get()).isPresent()) {
                return name.get();
            }
        } catch (RuntimeException e) {
            log.warn("looking up export '{}' failed", requested, e);
        }
        throw new OptionException(REP_ERR_UNKNOWN, MSG_UNKNOWN_EXPORT);
    }

    /**
     * Answers ACK in clear, then everything is TLS. The SslHandler goes in first, in startTls mode,
     * so that the ACK (its first write) still leaves unencrypted and the client's hello, which may
     * come right behind it, already meets the handler.
     */
    void onStartTls(ChannelHandlerContext ctx, ByteBuf payload) {
        if (!server.tls().enabled()) {
            reply(ctx, OptionReplies.error(ctx.alloc(), OPT_STARTTLS, REP_ERR_POLICY, "TLS is not configured"));
        } else if (tlsActive) {
            reply(ctx, OptionReplies.error(ctx.alloc(), OPT_STARTTLS, REP_ERR_INVALID, "TLS already negotiated"));
        } else if (payload.isReadable()) {
            reply(ctx, OptionReplies.error(ctx.alloc(), OPT_STARTTLS, REP_ERR_INVALID, "no payload expected"));
        } else if (((HandshakeDecoder) ctx.pipeline().get(NbdServer.DECODER)).buffered() > 0) {
            log.debug("{}: data sent in clear behind STARTTLS, closing", ctx.channel().remoteAddress());
            ctx.close();
        } else {
            ctx.pipeline().addFirst(NbdServer.TLS, server.tls().newHandler(ctx.alloc()));
            reply(ctx, OptionReplies.empty(ctx.alloc(), OPT_STARTTLS, REP_ACK));
            tlsActive = true;
            structured = false;
            contexts = List.of();
            contextsExport = null;
        }
    }

    private static ChannelFuture reply(ChannelHandlerContext ctx, ByteBuf buf) {
        return ctx.writeAndFlush(buf);
    }
}
