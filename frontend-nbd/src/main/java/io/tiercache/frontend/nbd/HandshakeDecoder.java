package io.tiercache.frontend.nbd;

import static io.tiercache.frontend.nbd.NbdConstants.IHAVEOPT;
import static io.tiercache.frontend.nbd.NbdConstants.MAX_BUFFERED_OPTION;
import static io.tiercache.frontend.nbd.NbdConstants.MAX_OPTION_LENGTH;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Frames the handshake phase: the client's 32-bit flags, then options ({@code IHAVEOPT}, code,
 * length, payload). Emits {@link ClientFlags} and {@link Option}; replaced by {@link
 * TransmissionDecoder} once an export is selected.
 *
 * <p>The declared option length is checked before anything is allocated: above {@link
 * NbdConstants#MAX_OPTION_LENGTH} the connection is dropped; above {@link
 * NbdConstants#MAX_BUFFERED_OPTION} the payload is skipped as it arrives, never buffered, and the
 * option is emitted without payload so the handler can still answer and stay in sync.
 */
final class HandshakeDecoder extends ByteToMessageDecoder {
    private static final Logger log = LoggerFactory.getLogger(HandshakeDecoder.class);

    /** The client's flags, the first thing it sends. */
    record ClientFlags(int flags) {}

    /**
     * One option. {@code payload} is null when the option was too long to buffer ({@code length}
     * says how long it was); whoever receives it must {@link #release()} it.
     */
    record Option(int code, long length, ByteBuf payload) {
        void release() {
            if (payload != null) {
                payload.release();
            }
        }
    }

    private enum State { FLAGS, HEADER, PAYLOAD, SKIP, BROKEN }

    private State state = State.FLAGS;
    private int code;
    private long length;
    private long toSkip;

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        switch (state) {
            case FLAGS -> {
                if (in.readableBytes() >= 4) {
                    out.add(new ClientFlags(in.readInt()));
                    state = State.HEADER;
                }
            }
            case HEADER -> {
                decodeHeader(ctx, in);
                // Checked at once: a zero-length option may be the last bytes the client sends.
                emitPayloadIfComplete(in, out);
            }
            case PAYLOAD -> emitPayloadIfComplete(in, out);
            case SKIP -> {
                int n = (int) Math.min(in.readableBytes(), toSkip);
                in.skipBytes(n);
                toSkip -= n;
                if (toSkip == 0) {
                    out.add(new Option(code, length, null));
                    state = State.HEADER;
                }
            }
            case BROKEN -> in.skipBytes(in.readableBytes());
        }
    }

    private void emitPayloadIfComplete(ByteBuf in, List<Object> out) {
        if (state == State.PAYLOAD && in.readableBytes() >= length) {
            out.add(new Option(code, length, in.readRetainedSlice((int) length)));
            state = State.HEADER;
        }
    }

    private void decodeHeader(ChannelHandlerContext ctx, ByteBuf in) {
        if (in.readableBytes() < 16) {
            return;
        }
        long magic = in.readLong();
        code = in.readInt();
        length = in.readUnsignedInt();
        if (magic != IHAVEOPT) {
            fail(ctx, in, "bad option magic");
        } else if (length > MAX_OPTION_LENGTH) {
            fail(ctx, in, "option " + code + " declares " + length + " bytes");
        } else if (length > MAX_BUFFERED_OPTION) {
            toSkip = length;
            state = State.SKIP;
        } else {
            state = State.PAYLOAD;
        }
    }

    /**
     * Bytes received but not decoded yet. After STARTTLS there must be none: the client has to wait
     * for the ACK before its TLS handshake, so anything already here was sent in clear out of turn.
     */
    int buffered() {
        return actualReadableBytes();
    }

    /** A client that breaks the framing cannot be resynchronised: drop it. */
    private void fail(ChannelHandlerContext ctx, ByteBuf in, String why) {
        log.debug("{}: handshake protocol violation ({}), closing", ctx.channel().remoteAddress(), why);
        state = State.BROKEN;
        in.skipBytes(in.readableBytes());
        ctx.close();
    }
}
