package io.tiercache.frontend.nbd;

import static io.tiercache.frontend.nbd.NbdConstants.CMD_WRITE;
import static io.tiercache.frontend.nbd.NbdConstants.EINVAL;
import static io.tiercache.frontend.nbd.NbdConstants.MAX_PAYLOAD;
import static io.tiercache.frontend.nbd.NbdConstants.REQUEST_HEADER_LENGTH;
import static io.tiercache.frontend.nbd.NbdConstants.REQUEST_MAGIC;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Frames transmission requests: a 28-byte header, and for WRITE the payload.
 *
 * <p>A WRITE's payload that has already arrived whole is handed on as a slice of the receive
 * buffer, without a copy. One that is still arriving is copied into its own pooled direct buffer of
 * exactly its length as the bytes come (the length is checked first), so the cumulation buffer
 * never grows to 32 MiB. Either way the device gets a direct buffer it can hand to a
 * {@code FileChannel}. A WRITE over the maximum is emitted at once as rejected, and its payload
 * skipped without buffering, keeping the stream in sync.
 */
final class TransmissionDecoder extends ByteToMessageDecoder {
    private static final Logger log = LoggerFactory.getLogger(TransmissionDecoder.class);

    private NbdRequest pendingWrite;
    private ByteBuf pendingPayload;
    private long toSkip;
    private boolean broken;

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (broken) {
            in.skipBytes(in.readableBytes());
        } else if (toSkip > 0) {
            int n = (int) Math.min(toSkip, in.readableBytes());
            in.skipBytes(n);
            toSkip -= n;
        } else if (pendingPayload != null) {
            collectPayload(in, out);
        } else if (in.readableBytes() >= REQUEST_HEADER_LENGTH) {
            decodeHeader(ctx, in, out);
        }
    }

    private void decodeHeader(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        int magic = in.readInt();
        if (magic != REQUEST_MAGIC) {
            log.debug("{}: bad request magic {}, closing", ctx.channel().remoteAddress(), Integer.toHexString(magic));
            broken = true;
            in.skipBytes(in.readableBytes());
            ctx.close();
            return;
        }
        int flags = in.readUnsignedShort();
        int type = in.readUnsignedShort();
        long cookie = in.readLong();
        long offset = in.readLong();
        long length = in.readUnsignedInt();
        NbdRequest request = new NbdRequest(flags, type, cookie, offset, length, null, 0);
        if (type != CMD_WRITE || length == 0) {
            out.add(request);
        } else if (length > MAX_PAYLOAD) {
            out.add(request.rejected(EINVAL));
            toSkip = length;
        } else if (in.readableBytes() >= length && in.isDirect()) {
            out.add(request.withPayload(in.readRetainedSlice((int) length)));
        } else {
            pendingWrite = request;
            pendingPayload = ctx.alloc().directBuffer((int) length, (int) length);
            collectPayload(in, out);
        }
    }

    private void collectPayload(ByteBuf in, List<Object> out) {
        int n = Math.min(in.readableBytes(), pendingPayload.writableBytes());
        pendingPayload.writeBytes(in, n);
        if (!pendingPayload.isWritable()) {
            out.add(pendingWrite.withPayload(pendingPayload));
            pendingWrite = null;
            pendingPayload = null;
        }
    }

    /** Called when the channel closes or the decoder is removed: drop a half-received WRITE. */
    @Override
    protected void handlerRemoved0(ChannelHandlerContext ctx) {
        if (pendingPayload != null) {
            pendingPayload.release();
            pendingPayload = null;
            pendingWrite = null;
        }
    }
}
