package io.tiercache.frontend.nbd;

import static io.tiercache.frontend.nbd.NbdConstants.CHUNK_ERROR;
import static io.tiercache.frontend.nbd.NbdConstants.CHUNK_ERROR_OFFSET;
import static io.tiercache.frontend.nbd.NbdConstants.CHUNK_FLAG_DONE;
import static io.tiercache.frontend.nbd.NbdConstants.CHUNK_HEADER_LENGTH;
import static io.tiercache.frontend.nbd.NbdConstants.CMD_BLOCK_STATUS;
import static io.tiercache.frontend.nbd.NbdConstants.CMD_READ;
import static io.tiercache.frontend.nbd.NbdConstants.SIMPLE_REPLY_LENGTH;
import static io.tiercache.frontend.nbd.NbdConstants.SIMPLE_REPLY_MAGIC;
import static io.tiercache.frontend.nbd.NbdConstants.STRUCTURED_REPLY_MAGIC;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/** Reply headers: the simple reply and structured reply chunks, written into pooled buffers. */
final class Replies {
    /** An ERROR chunk's payload without message: u32 error, u16 message length. */
    static final int ERROR_PAYLOAD = 6;

    private Replies() {}

    /** A simple reply header with no payload. */
    static ByteBuf simple(ByteBufAllocator alloc, int error, long cookie) {
        return alloc.buffer(SIMPLE_REPLY_LENGTH).writeInt(SIMPLE_REPLY_MAGIC).writeInt(error).writeLong(cookie);
    }

    /** Writes a chunk header (magic, flags, type, cookie, payload length). */
    static ByteBuf chunkHeader(ByteBuf buf, int flags, int type, long cookie, int length) {
        return buf.writeInt(STRUCTURED_REPLY_MAGIC).writeShort(flags).writeShort(type).writeLong(cookie).writeInt(length);
    }

    /**
     * The reply to a request that failed as a whole: with structured replies, READ and
     * BLOCK_STATUS get a final ERROR chunk (a READ must always be chunked once they are
     * negotiated), everything else the simple reply the protocol still allows.
     */
    static ByteBuf error(ByteBufAllocator alloc, boolean structured, NbdRequest req, int error) {
        if (structured && (req.type() == CMD_READ || req.type() == CMD_BLOCK_STATUS)) {
            ByteBuf buf = alloc.buffer(CHUNK_HEADER_LENGTH + ERROR_PAYLOAD);
            return chunkHeader(buf, CHUNK_FLAG_DONE, CHUNK_ERROR, req.cookie(), ERROR_PAYLOAD).writeInt(error).writeShort(0);
        }
        return simple(alloc, error, req.cookie());
    }

    /** A final ERROR_OFFSET chunk: the part of a read from {@code offset} on failed. */
    static ByteBuf errorAt(ByteBuf buf, long cookie, int error, long offset) {
        return chunkHeader(buf, CHUNK_FLAG_DONE, CHUNK_ERROR_OFFSET, cookie, ERROR_PAYLOAD + 8)
                .writeInt(error).writeShort(0).writeLong(offset);
    }
}
