package io.tiercache.core.cache;

import io.tiercache.spi.block.BlockIo;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The cache and origin devices as the target uses them, with the data layout of target-semantics
 * §4.1 (origin block o at {@code o × block}, cache block c at {@code c × block}, offsets within a
 * block preserved) and whole-block copies for migrations.
 *
 * <p>It remembers whether anything was written since the last {@link #flushIfWritten}: a metadata
 * commit flushes both devices first, so a mapping never becomes durable before the data it refers
 * to (a promotion's copy, a demotion's writeback). The kernel leaves this to the devices' write
 * caches; files have page caches, so tiercache makes the order explicit.
 */
final class CacheDevices {
    /** Copies move at most this much at a time, so a 1 GiB block does not need a 1 GiB buffer. */
    private static final int COPY_CHUNK = 1 << 20;
    private static final int POOLED_BUFFERS = 16;

    private final BlockIo cache;
    private final BlockIo origin;
    private final long blockBytes;
    private final ConcurrentLinkedQueue<ByteBuffer> buffers = new ConcurrentLinkedQueue<>();
    private volatile boolean written;

    CacheDevices(BlockIo cache, BlockIo origin, long blockBytes) {
        this.cache = cache;
        this.origin = origin;
        this.blockBytes = blockBytes;
    }

    BlockIo cache() {
        return cache;
    }

    BlockIo origin() {
        return origin;
    }

    /** Called after a write has completed, so that a flush that clears the flag always covers it. */
    private void noteWrite() {
        if (!written) {
            written = true;
        }
    }

    void readOrigin(ByteBuffer dst, long byteOffset) throws IOException {
        origin.read(dst, byteOffset);
    }

    void writeOrigin(ByteBuffer src, long byteOffset, int flags) throws IOException {
        origin.write(src, byteOffset, flags);
        noteWrite();
    }

    void readCache(ByteBuffer dst, long cblock, long offsetInBlock) throws IOException {
        cache.read(dst, cblock * blockBytes + offsetInBlock);
    }

    void writeCache(ByteBuffer src, long cblock, long offsetInBlock, int flags) throws IOException {
        cache.write(src, cblock * blockBytes + offsetInBlock, flags);
        noteWrite();
    }

    void discardOrigin(long byteOffset, long length) throws IOException {
        origin.discard(byteOffset, length);
    }

    /** Copies origin block {@code oblock} into cache block {@code cblock} (a promotion). */
    void copyToCache(long oblock, long cblock) throws IOException {
        copy(origin, oblock * blockBytes, cache, cblock * blockBytes);
    }

    /** Copies cache block {@code cblock} back to origin block {@code oblock} (demotion, writeback). */
    void copyToOrigin(long cblock, long oblock) throws IOException {
        copy(cache, cblock * blockBytes, origin, oblock * blockBytes);
    }

    private void copy(BlockIo from, long src, BlockIo to, long dst) throws IOException {
        ByteBuffer buf = buffer();
        try {
            for (long done = 0; done < blockBytes; ) {
                int n = (int) Math.min(buf.capacity(), blockBytes - done);
                buf.clear().limit(n);
                from.read(buf, src + done);
                buf.flip();
                to.write(buf, dst + done, 0);
                done += n;
            }
            noteWrite();
        } finally {
            if (buffers.size() < POOLED_BUFFERS) {
                buffers.offer(buf);
            }
        }
    }

    private ByteBuffer buffer() {
        ByteBuffer b = buffers.poll();
        return b != null ? b : ByteBuffer.allocate((int) Math.min(blockBytes, COPY_CHUNK));
    }

    /** Flushes both devices if anything was written since the last flush (before a metadata commit). */
    void flushIfWritten() throws IOException {
        if (written) {
            written = false;
            try {
                flushBoth();
            } catch (IOException | RuntimeException e) {
                written = true;
                throw e;
            }
        }
    }

    /** A FLUSH request's two copies: the origin, then the cache. */
    void flushBoth() throws IOException {
        origin.flush();
        cache.flush();
    }
}
