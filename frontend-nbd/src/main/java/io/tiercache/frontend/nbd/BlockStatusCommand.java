package io.tiercache.frontend.nbd;

import static io.tiercache.frontend.nbd.NbdConstants.CHUNK_BLOCK_STATUS;
import static io.tiercache.frontend.nbd.NbdConstants.CHUNK_FLAG_DONE;
import static io.tiercache.frontend.nbd.NbdConstants.CHUNK_HEADER_LENGTH;
import static io.tiercache.frontend.nbd.NbdConstants.CMD_FLAG_REQ_ONE;
import static io.tiercache.frontend.nbd.NbdConstants.MAX_EXTENTS;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.tiercache.frontend.nbd.Negotiated.SelectedContext;
import io.tiercache.spi.block.BlockIoException;
import io.tiercache.spi.block.Errno;
import io.tiercache.spi.frontend.Export;
import io.tiercache.spi.frontend.ExtentSink;
import java.io.IOException;
import java.util.List;

/**
 * Answers BLOCK_STATUS, on an I/O thread: one {@code BLOCK_STATUS} chunk per selected context
 * (u32 context id, then u32 length / u32 flags descriptors), the last one flagged DONE, all in one
 * buffer. Extents are clipped to the request, neighbours with equal flags merged, and cut at
 * 2^20 per chunk, or at one with {@code REQ_ONE}.
 */
final class BlockStatusCommand {
    private final Export export;
    private final List<SelectedContext> contexts;

    BlockStatusCommand(Export export, Negotiated negotiated) {
        this.export = export;
        this.contexts = negotiated.contexts();
    }

    ByteBuf run(ByteBufAllocator alloc, NbdRequest req) throws IOException {
        int maxExtents = req.has(CMD_FLAG_REQ_ONE) ? 1 : MAX_EXTENTS;
        ByteBuf buf = alloc.directBuffer(contexts.size() * (CHUNK_HEADER_LENGTH + 4 + 8 * 8));
        boolean done = false;
        try {
            for (int i = 0; i < contexts.size(); i++) {
                SelectedContext c = contexts.get(i);
                int start = buf.writerIndex();
                int flags = i == contexts.size() - 1 ? CHUNK_FLAG_DONE : 0;
                Replies.chunkHeader(buf, flags, CHUNK_BLOCK_STATUS, req.cookie(), 0).writeInt(c.id());
                Extents extents = new Extents(buf, req.length(), maxExtents);
                export.blockStatus(c.context(), req.offset(), req.length(), extents);
                if (extents.count == 0) {
                    throw new BlockIoException(Errno.EIO, export.name() + " reported no extents for " + c.context());
                }
                buf.setInt(start + CHUNK_HEADER_LENGTH - 4, buf.writerIndex() - start - CHUNK_HEADER_LENGTH);
            }
            done = true;
            return buf;
        } finally {
            if (!done) {
                buf.release();
            }
        }
    }

    /** Writes descriptors as the export reports them. */
    private static final class Extents implements ExtentSink {
        private final ByteBuf buf;
        private final int maxExtents;
        private long remaining;
        private int count;
        private int lastFlags;

        Extents(ByteBuf buf, long length, int maxExtents) {
            this.buf = buf;
            this.remaining = length;
            this.maxExtents = maxExtents;
        }

        @Override
        public boolean extent(long length, int flags) {
            if (length <= 0 || remaining == 0) {
                return false; // a zero-length extent is not allowed on the wire; stop at a broken answer
            }
            long clipped = Math.min(length, remaining); // fits a u32: requests are at most 4 GiB - 1
            if (count > 0 && flags == lastFlags) {
                int at = buf.writerIndex() - 8;
                buf.setInt(at, (int) (buf.getUnsignedInt(at) + clipped));
            } else if (count == maxExtents) {
                return false;
            } else {
                buf.writeInt((int) clipped).writeInt(flags);
                count++;
                lastFlags = flags;
            }
            remaining -= clipped;
            return remaining > 0;
        }
    }
}
