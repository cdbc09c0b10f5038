package io.tiercache.frontend.nbd;

import static io.tiercache.frontend.nbd.NbdConstants.CHUNK_FLAG_DONE;
import static io.tiercache.frontend.nbd.NbdConstants.CHUNK_HEADER_LENGTH;
import static io.tiercache.frontend.nbd.NbdConstants.CHUNK_OFFSET_DATA;
import static io.tiercache.frontend.nbd.NbdConstants.CHUNK_OFFSET_HOLE;
import static io.tiercache.frontend.nbd.NbdConstants.CMD_FLAG_DF;
import static io.tiercache.frontend.nbd.NbdConstants.SIMPLE_REPLY_LENGTH;
import static io.tiercache.frontend.nbd.NbdConstants.SIMPLE_REPLY_MAGIC;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.tiercache.spi.frontend.Export;
import io.tiercache.spi.frontend.ReadRegions;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Optional;

/**
 * Builds READ replies on an I/O thread, in a buffer the event loop allocated. Three shapes, cheapest first:
 *
 * <ul>
 *   <li>zero copy: the header, then the export's file spans, sent by {@code sendfile} (reads of at
 *       least {@code zeroCopyMin} bytes on a connection without TLS, where the export offers it);
 *   <li>one buffer: the header with the data read straight behind it, so both leave in one write;
 *   <li>with structured replies and known zeroes in the range: data and {@code OFFSET_HOLE}
 *       chunks, the zeroes never read nor sent.
 * </ul>
 *
 * A structured read that fails part-way ends with an {@code ERROR_OFFSET} chunk naming where.
 */
final class ReadCommand {
    /** A data chunk's payload starts with the u64 offset. */
    private static final int DATA_PREFIX = 8;

    /** A hole chunk's payload: u64 offset, u32 length. */
    private static final int HOLE_PAYLOAD = 12;

    private final Export export;
    private final boolean structured;
    private final long zeroCopyMin;

    ReadCommand(Export export, Negotiated negotiated, int zeroCopyMin) {
        this.export = export;
        this.structured = negotiated.structured();
        this.zeroCopyMin = negotiated.tls() ? Long.MAX_VALUE : zeroCopyMin; // SslHandler can't encrypt a FileRegion
    }

    /**
     * The reply's buffer, made on the event loop: room for the header and the data; only the
     * header's where the read may go out by zero copy (if it does not, it grows on the I/O thread).
     */
    ByteBuf replyBuffer(ByteBufAllocator alloc, NbdRequest req) {
        long data = req.length() >= zeroCopyMin ? 0 : req.length();
        return alloc.directBuffer(headerLength() + (int) data);
    }

    /**
     * The reply, in {@code buf} (from {@link #replyBuffer}): a {@link ByteBuf} or a
     * {@link RegionReply}. Throws when nothing was read, {@code buf} then released.
     */
    Object run(NbdRequest req, ByteBuf buf) throws IOException {
        boolean done = false;
        try {
            Object reply = build(req, buf);
            done = true;
            return reply;
        } finally {
            if (!done && buf.refCnt() > 0) {
                buf.release();
            }
        }
    }

    private Object build(NbdRequest req, ByteBuf buf) throws IOException {
        if (structured && !req.has(CMD_FLAG_DF) && export.reportsZeroes()) {
            ReadPlan plan = ReadPlan.of(export, req.offset(), req.length());
            if (plan != null) {
                return pieces(buf, req, plan);
            }
        }
        if (req.length() >= zeroCopyMin) {
            Optional<ReadRegions> regions = export.mapForRead(req.offset(), req.length());
            if (regions.isPresent()) {
                return new RegionReply(header(buf, req, true), regions.get());
            }
        }
        header(buf, req, true);
        readInto(buf, req.offset(), (int) req.length());
        return buf;
    }

    private int headerLength() {
        return structured ? CHUNK_HEADER_LENGTH + DATA_PREFIX : SIMPLE_REPLY_LENGTH;
    }

    /** The simple reply header, or a final data chunk's header and offset. */
    private ByteBuf header(ByteBuf buf, NbdRequest req, boolean last) {
        if (!structured) {
            return buf.writeInt(SIMPLE_REPLY_MAGIC).writeInt(0).writeLong(req.cookie());
        }
        int flags = last ? CHUNK_FLAG_DONE : 0;
        return Replies.chunkHeader(buf, flags, CHUNK_OFFSET_DATA, req.cookie(), DATA_PREFIX + (int) req.length())
                .writeLong(req.offset());
    }

    /** Reads {@code length} bytes at {@code offset} into {@code buf} behind what it holds. */
    private void readInto(ByteBuf buf, long offset, int length) throws IOException {
        buf.ensureWritable(length);
        ByteBuffer dst = buf.nioBuffer(buf.writerIndex(), length);
        export.read(dst, offset);
        if (dst.hasRemaining()) {
            throw new IOException("short read: " + dst.remaining() + " bytes missing");
        }
        buf.writerIndex(buf.writerIndex() + length);
    }

    /**
     * One chunk per piece, all in one buffer. If a piece fails after others went in, the reply
     * keeps them and ends with ERROR_OFFSET at the failed piece, so the client knows what it got.
     */
    private ByteBuf pieces(ByteBuf buf, NbdRequest req, ReadPlan plan) throws IOException {
        buf.ensureWritable(plan.pieces() * (CHUNK_HEADER_LENGTH + HOLE_PAYLOAD) + (int) req.length());
        long offset = req.offset();
        for (int i = 0; i < plan.pieces(); i++) {
            int flags = i == plan.pieces() - 1 ? CHUNK_FLAG_DONE : 0;
            int length = (int) plan.length(i);
            if (plan.isZero(i)) {
                Replies.chunkHeader(buf, flags, CHUNK_OFFSET_HOLE, req.cookie(), HOLE_PAYLOAD)
                        .writeLong(offset).writeInt(length);
            } else if (!dataChunk(buf, req.cookie(), flags, offset, length, i == 0)) {
                return buf; // ended with ERROR_OFFSET
            }
            offset += length;
        }
        return buf;
    }

    /** Appends a data chunk; on a failed read, an ERROR_OFFSET chunk instead (rethrown if first). */
    private boolean dataChunk(ByteBuf buf, long cookie, int flags, long offset, int length, boolean first)
            throws IOException {
        int start = buf.writerIndex();
        Replies.chunkHeader(buf, flags, CHUNK_OFFSET_DATA, cookie, DATA_PREFIX + length).writeLong(offset);
        try {
            readInto(buf, offset, length);
            return true;
        } catch (IOException e) {
            if (first) {
                throw e; // nothing was read: the caller answers with a plain ERROR chunk
            }
            buf.writerIndex(start);
            Replies.errorAt(buf, cookie, NbdErrors.of(e), offset);
            return false;
        }
    }
}
