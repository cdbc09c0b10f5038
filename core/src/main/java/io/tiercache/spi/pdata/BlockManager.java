package io.tiercache.spi.pdata;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.tiercache.spi.block.BlockIo;
import io.tiercache.spi.block.BlockIoException;
import io.tiercache.spi.block.Errno;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * 4 KiB block I/O over a metadata device with validation and a block cache (the kernel's
 * dm-block-manager over dm-bufio).
 *
 * <p>Clean blocks live in a bounded Caffeine cache and may be evicted at any time. Dirty blocks (new
 * or shadowed in the current transaction) are pinned in a separate map that nothing evicts, and are
 * written only by {@link #flush()}, which the transaction manager calls at commit. No listener ever
 * writes: a write-back from eviction could land a half-finished transaction on disk in arbitrary
 * order (library notes §4). Block 0, the superblock, is never cached; the transaction manager writes
 * it with {@link #writeSuperblock}.
 *
 * <p>Not thread-safe for writers: like the kernel's metadata lock, the caller serialises access.
 */
public final class BlockManager {
    public static final int BLOCK_SIZE = 4096;

    private final BlockIo io;
    private final long nrBlocks;
    private final boolean readOnly;
    private final Cache<Long, Block> clean;
    private final Map<Long, Block> dirty = new HashMap<>();
    /** Which locations are in {@link #dirty}: lets clean reads skip the map (and its boxing). */
    private final BitSet dirtyMask = new BitSet();
    private long diskReads;
    private long diskWrites;

    /**
     * @param io          the metadata device; blocks beyond {@code floor(size / 4096)} do not exist
     * @param cacheBlocks how many clean blocks to keep
     * @param readOnly    refuse every write lock
     */
    public BlockManager(BlockIo io, int cacheBlocks, boolean readOnly) {
        this.io = io;
        this.nrBlocks = io.size() / BLOCK_SIZE;
        this.readOnly = readOnly;
        // Eviction runs on the calling thread: deterministic, and no background thread ever touches
        // a block. Clean blocks need no write-back, so no listener is registered at all.
        this.clean = Caffeine.newBuilder().maximumSize(Math.max(16, cacheBlocks)).executor(Runnable::run).build();
    }

    /** Blocks on the device. */
    public long nrBlocks() {
        return nrBlocks;
    }

    public boolean readOnly() {
        return readOnly;
    }

    /** Reads and validates a block (from the cache when possible). */
    public Block read(long b, Validator v) throws IOException {
        Block block = cached(b, v);
        if (block != null) {
            return block;
        }
        block = new Block(b, v);
        readRaw(b, block.data(), v);
        v.check(block.data(), b);
        clean.put(b, block);
        return block;
    }

    /** Reads a block for modification; it becomes dirty and pinned until the next flush. */
    public Block writeLock(long b, Validator v) throws IOException {
        checkWritable(b);
        Block block = isDirty(b) ? dirty.get(b) : null;
        if (block != null) {
            checkKind(block, v);
            return block;
        }
        block = read(b, v);
        clean.invalidate(b);
        pin(block);
        return block;
    }

    /** A zero-filled block at {@code b} for a new structure; dirty and pinned until the next flush. */
    public Block writeLockZero(long b, Validator v) throws BlockIoException {
        checkWritable(b);
        Block block = new Block(b, v);
        clean.invalidate(b);
        pin(block);
        return block;
    }

    private void pin(Block block) {
        dirty.put(block.location(), block);
        dirtyMask.set((int) block.location());
    }

    /** True if the block is pinned (written in this transaction). */
    public boolean isDirty(long b) {
        return b >= 0 && b < nrBlocks && dirtyMask.get((int) b);
    }

    /** Forgets a dirty block that was freed before reaching the disk: nothing refers to it any more. */
    void forget(long b) {
        if (isDirty(b)) {
            dirty.remove(b);
            dirtyMask.clear((int) b);
        }
    }

    /** Number of pinned blocks: what the next commit will write. */
    public int dirtyBlocks() {
        return dirty.size();
    }

    /** Writes every pinned block in block order, flushes the device and unpins them. */
    public void flush() throws IOException {
        List<Block> blocks = new ArrayList<>(dirty.values());
        blocks.sort((x, y) -> Long.compare(x.location(), y.location()));
        for (Block block : blocks) {
            ByteBuffer data = block.data();
            block.validator().prepareForWrite(data, block.location());
            io.write(data.clear(), block.location() * BLOCK_SIZE, 0);
            diskWrites++;
        }
        io.flush();
        // Only now are they clean: a failed write above leaves them pinned for the abort path.
        for (Block block : blocks) {
            dirty.remove(block.location());
            clean.put(block.location(), block);
        }
        dirtyMask.clear();
    }

    /** Drops every pinned block (abort): they were all shadows, so nothing committed is lost. */
    public void discardDirty() {
        dirty.clear();
        dirtyMask.clear();
    }

    /** Reads block 0 without validation; null-free, the caller validates. */
    public ByteBuffer readSuperblock() throws IOException {
        Block block = new Block(0, new Validator(BlockKind.SUPERBLOCK, "cache"));
        readRaw(0, block.data(), block.validator());
        return block.data();
    }

    /** Stamps and writes the superblock, then flushes: the commit point of a transaction. */
    public void writeSuperblock(ByteBuffer data, Validator v) throws IOException {
        checkWritable(0);
        v.prepareForWrite(data, 0);
        io.write(data.clear(), 0, 0);
        diskWrites++;
        io.flush();
    }

    /** Disk reads so far (cache misses); for tests and statistics. */
    public long diskReads() {
        return diskReads;
    }

    /** Block writes so far; for tests and statistics. */
    public long diskWrites() {
        return diskWrites;
    }

    private Block cached(long b, Validator v) throws MetadataCorruptException {
        Block block = isDirty(b) ? dirty.get(b) : clean.getIfPresent(b);
        if (block != null) {
            checkKind(block, v);
        }
        return block;
    }

    private void readRaw(long b, ByteBuffer dst, Validator v) throws IOException {
        if (b < 0 || b >= nrBlocks) {
            throw v.corrupt(b, "beyond the end of the metadata device (" + nrBlocks + " blocks)");
        }
        io.read(dst.clear(), b * BLOCK_SIZE);
        diskReads++;
    }

    private static void checkKind(Block block, Validator v) throws MetadataCorruptException {
        if (block.validator().kind() != v.kind()) {
            throw v.corrupt(block.location(), "already in use as a " + block.validator().structure() + " "
                    + block.validator().kind().description());
        }
    }

    private void checkWritable(long b) throws BlockIoException {
        if (readOnly) {
            throw new BlockIoException(Errno.EROFS, "metadata opened read-only: cannot write block " + b);
        }
        if (b < 0 || b >= nrBlocks) {
            throw new BlockIoException(Errno.ENOSPC, "block " + b + " beyond the metadata device (" + nrBlocks + " blocks)");
        }
    }
}
