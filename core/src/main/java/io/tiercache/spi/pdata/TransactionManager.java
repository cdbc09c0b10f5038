package io.tiercache.spi.pdata;

import io.tiercache.spi.block.BlockIo;
import io.tiercache.spi.block.BlockIoException;
import io.tiercache.spi.block.Errno;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.BitSet;
import java.util.function.UnaryOperator;

/**
 * Copy-on-write transactions over the metadata device (the kernel's dm-transaction-manager plus
 * the cache superblock's commit, spec §7.3).
 *
 * <p>A block of the last committed state is never written: to change it, {@link #shadow} copies it
 * to a new block (taken only from blocks free at the last commit as well as now) and moves one
 * reference from the old block to the copy; the caller points the parent at the copy. Blocks
 * allocated or shadowed in this transaction are "shadows" and are changed in place. {@link #commit}
 * writes the space map, every pinned block, flushes, then writes the superblock and flushes again,
 * so a crash at any point leaves either the old or the new transaction on disk.
 *
 * <p>Not thread-safe: the owner serialises every call (the kernel's {@code root_lock}).
 */
public final class TransactionManager {
    /** Clean blocks kept by default: 16 MiB. */
    public static final int DEFAULT_CACHE_BLOCKS = 4096;

    private final BlockManager bm;
    private final BitSet shadows = new BitSet();
    private final ByteBuffer superblockBuffer =
            ByteBuffer.allocate(BlockManager.BLOCK_SIZE).order(ByteOrder.LITTLE_ENDIAN);
    private MetadataSpaceMap sm;
    private CacheSuperblock committed;
    private boolean onDisk;
    private boolean failed;

    /** How to open: read-only or not, and how many clean blocks to cache. */
    public record Options(boolean readOnly, int cacheBlocks) {
        public static Options readWrite() {
            return new Options(false, DEFAULT_CACHE_BLOCKS);
        }

        public static Options readOnlyAccess() {
            return new Options(true, DEFAULT_CACHE_BLOCKS);
        }
    }

    /** A shadowed block; {@code incChildren} says the original is still shared, so the copy's references count too. */
    public record Shadow(Block block, boolean incChildren) {}

    private TransactionManager(BlockManager bm) {
        this.bm = bm;
    }

    /** True if block 0 is all zero: the device carries no metadata (spec §7.1 step 1). */
    public static boolean isBlank(BlockIo io) throws IOException {
        if (io.size() < BlockManager.BLOCK_SIZE) {
            return true;
        }
        ByteBuffer b = new BlockManager(io, 16, true).readSuperblock();
        for (int i = 0; i < BlockManager.BLOCK_SIZE; i += 8) {
            if (b.getLong(i) != 0) {
                return false;
            }
        }
        return true;
    }

    /** Opens committed metadata: validates the superblock and loads the space map. */
    public static TransactionManager open(BlockIo io, Options options) throws IOException {
        BlockManager bm = new BlockManager(io, options.cacheBlocks(), options.readOnly());
        if (isBlank(io)) {
            throw new BlockIoException(Errno.EINVAL, "metadata device is not formatted (block 0 is all zero)");
        }
        CacheSuperblock sb = CacheSuperblock.decode(bm.readSuperblock());
        if (sb.metadataBlockSize() != CacheSuperblock.METADATA_BLOCK_SECTORS) {
            throw CacheSuperblock.VALIDATOR.corrupt(0, "metadata_block_size " + sb.metadataBlockSize()
                    + " sectors; only " + CacheSuperblock.METADATA_BLOCK_SECTORS + " (4096 bytes) is supported");
        }
        TransactionManager tm = new TransactionManager(bm);
        tm.committed = sb;
        tm.onDisk = true;
        tm.sm = MetadataSpaceMap.open(tm, sb.spaceMapRoot());
        return tm;
    }

    /**
     * Starts new metadata on a device whose block 0 is zero (spec §7.2): an empty space map with its
     * index, reference-count tree and bitmaps. Nothing is on disk until the first {@link #commit};
     * {@link #superblock()} is {@link CacheSuperblock#blank} of {@code version} until then.
     */
    public static TransactionManager format(BlockIo io, int version, Options options) throws IOException {
        if (options.readOnly()) {
            throw new BlockIoException(Errno.EROFS, "cannot format read-only metadata");
        }
        if (!isBlank(io)) {
            throw new BlockIoException(Errno.EEXIST, "block 0 of the metadata device is not zero: it holds "
                    + "metadata; zero it first to format again");
        }
        BlockManager bm = new BlockManager(io, options.cacheBlocks(), false);
        TransactionManager tm = new TransactionManager(bm);
        tm.committed = CacheSuperblock.blank(version);
        tm.sm = MetadataSpaceMap.create(bm.nrBlocks());
        tm.sm.bootstrap(tm);
        return tm;
    }

    /** The last committed superblock (or the blank one of a format not yet committed). */
    public CacheSuperblock superblock() {
        return committed;
    }

    public BlockManager blockManager() {
        return bm;
    }

    public MetadataSpaceMap spaceMap() {
        return sm;
    }

    public boolean readOnly() {
        return bm.readOnly();
    }

    /** Reads and validates a block. */
    public Block read(long b, Validator v) throws IOException {
        return bm.read(b, v);
    }

    /** A new zeroed block with one reference, changeable in place until the commit. */
    public Block newBlock(Validator v) throws IOException {
        checkWritable();
        return bm.writeLockZero(allocateShadowLocation(), v);
    }

    /**
     * Makes {@code orig} writable: the block itself if it is a shadow nobody else references,
     * otherwise a copy in a new block, with the reference moved from {@code orig} to the copy.
     */
    public Shadow shadow(long orig, Validator v) throws IOException {
        checkWritable();
        long count = sm.count(orig);
        if (count == 0) {
            throw v.corrupt(orig, "shadowing a block the space map says is free");
        }
        boolean shared = count > 1;
        if (isShadow(orig) && !shared) {
            return new Shadow(bm.writeLock(orig, v), false);
        }
        Block source = bm.read(orig, v);
        Block copy = bm.writeLockZero(allocateShadowLocation(), v);
        copy.copyFrom(source);
        sm.dec(orig);
        return new Shadow(copy, shared);
    }

    /** Adds a reference to {@code b} (sharing it). */
    public void inc(long b) throws IOException {
        checkWritable();
        sm.inc(b);
    }

    /** Drops a reference; a block new in this transaction that becomes free is not written at all. */
    public void dec(long b) throws IOException {
        checkWritable();
        sm.dec(b);
        if (sm.count(b) == 0) {
            bm.forget(b);
        }
    }

    /** The reference count of {@code b}. */
    public long refCount(long b) throws IOException {
        return sm.count(b);
    }

    /** True if {@code b} was allocated or shadowed in this transaction. */
    public boolean isShadow(long b) {
        return b >= 0 && b <= Integer.MAX_VALUE && shadows.get((int) b);
    }

    /** Allocates a block for this transaction without creating it (the space map's own blocks). */
    long allocateShadowLocation() throws IOException {
        long b = sm.allocate();
        shadows.set((int) b);
        return b;
    }

    /**
     * Commits: writes the space map and every changed block, flushes, asks {@code fill} for the new
     * superblock (it receives the last one with the new space-map root, which it must keep), writes
     * it and flushes. After a failure nothing more is allowed until {@link #abort()}.
     */
    public CacheSuperblock commit(UnaryOperator<CacheSuperblock> fill) throws IOException {
        checkWritable();
        try {
            SpaceMapRoot root = sm.prepareCommit(this);
            bm.flush();
            CacheSuperblock next = fill.apply(committed.withSpaceMapRoot(root)).withSpaceMapRoot(root);
            writeSuperblock(next);
            sm.finishCommit();
            shadows.clear();
            committed = next;
            onDisk = true;
            return next;
        } catch (IOException | RuntimeException e) {
            failed = true;
            throw e;
        }
    }

    /**
     * Forgets the current transaction and reloads the space map from the last commit. Structures
     * opened before must be reopened from {@link #superblock()}.
     */
    public void abort() throws IOException {
        bm.discardDirty();
        shadows.clear();
        if (!onDisk) {
            failed = true;
            throw new BlockIoException(Errno.EINVAL, "nothing was committed since the format: format again");
        }
        sm = MetadataSpaceMap.open(this, committed.spaceMapRoot());
        failed = false;
    }

    /**
     * Rewrites the committed superblock in place with other flags (spec §7.1 step 7: clearing
     * CLEAN_SHUTDOWN at open; §7.4: NEEDS_CHECK). Safe at any time: the roots stay those of the
     * last commit, whatever the current transaction has changed.
     */
    public void writeFlags(int flags) throws IOException {
        checkWritable();
        if (!onDisk) {
            throw new BlockIoException(Errno.EINVAL, "no superblock on disk yet: commit first");
        }
        CacheSuperblock next = committed.withFlags(flags);
        writeSuperblock(next);
        committed = next;
    }

    private void writeSuperblock(CacheSuperblock sb) throws IOException {
        sb.encode(superblockBuffer);
        bm.writeSuperblock(superblockBuffer, CacheSuperblock.VALIDATOR);
    }

    private void checkWritable() throws BlockIoException {
        if (bm.readOnly()) {
            throw new BlockIoException(Errno.EROFS, "metadata opened read-only");
        }
        if (failed) {
            throw new BlockIoException(Errno.EIO, "an earlier metadata operation failed: abort() first");
        }
    }
}
