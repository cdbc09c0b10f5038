package io.tiercache.spi.pdata;

import io.tiercache.spi.block.BlockIoException;
import io.tiercache.spi.block.Errno;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The metadata space map (spec §4.4): a reference count per metadata block, in two-bit bitmap
 * entries with a B-tree for counts of 3 and more, found through one index block.
 *
 * <p>The counts are kept in memory in the on-disk encoding (at most 255 bitmaps, 1 MiB) and written
 * at commit. This replaces the kernel's recursion machinery (its space map shadows its own bitmaps
 * while allocating, queueing the nested operations) with a fixed point at commit: every changed
 * bitmap and the index move to fresh blocks taken from the map itself, which changes more counts,
 * until nothing committed would be overwritten. The on-disk result is the kernel's: the space map's
 * own blocks are counted, the index is shadowed at every commit that changes anything, and a new
 * block is only ever one that was free in the last committed state as well as now.
 */
public final class MetadataSpaceMap {
    /** 255 bitmaps of 16,320 entries: the largest metadata device the format can describe. */
    public static final long MAX_BLOCKS = 255L * SpaceMapBitmap.ENTRIES;
    static final int MAX_BITMAPS = 255;
    static final String STRUCTURE = "metadata space map";
    static final Validator INDEX = new Validator(BlockKind.INDEX, STRUCTURE);
    static final Validator BITMAP = new Validator(BlockKind.BITMAP, STRUCTURE);
    private static final int INDEX_ENTRY_SIZE = 16;

    private final long nrBlocks;
    private final SpaceMapBitmap[] bitmaps;
    private final TreeMap<Long, Long> overflow = new TreeMap<>();
    /** Blocks whose overflow entry changed since the reference-count tree was last written. */
    private final TreeSet<Long> overflowDirty = new TreeSet<>();
    private long indexLocation;
    private long refCountRoot;
    private long nrAllocated;
    /** Where the next allocation search starts (the kernel's {@code begin}); reset at commit. */
    private long cursor;

    private MetadataSpaceMap(long nrBlocks) {
        this.nrBlocks = nrBlocks;
        this.bitmaps = new SpaceMapBitmap[(int) ((nrBlocks + SpaceMapBitmap.ENTRIES - 1) / SpaceMapBitmap.ENTRIES)];
        for (int i = 0; i < bitmaps.length; i++) {
            bitmaps[i] = new SpaceMapBitmap();
        }
    }

    /** The reference-count tree of a space map (value: u32 count). */
    static BTree refCountTree(TransactionManager tm) {
        return new BTree(tm, STRUCTURE + " reference-count tree", 4, ValueType.PLAIN);
    }

    /**
     * A new, empty space map for a zeroed device (spec §7.2), laid out as the kernel does: block 0
     * for the superblock, then the index, the empty reference-count tree and the bitmaps.
     */
    static MetadataSpaceMap create(long deviceBlocks) {
        MetadataSpaceMap sm = new MetadataSpaceMap(Math.min(deviceBlocks, MAX_BLOCKS));
        for (SpaceMapBitmap bitmap : sm.bitmaps) {
            // Every bitmap must reach the disk, even one in which nothing is allocated yet.
            bitmap.committed = new long[SpaceMapBitmap.WORDS];
        }
        sm.setCount(0, 1);
        sm.cursor = 1;
        return sm;
    }

    /** Second half of {@link #create}: needs the transaction manager to hand out the blocks. */
    void bootstrap(TransactionManager tm) throws IOException {
        indexLocation = tm.allocateShadowLocation();
        refCountRoot = refCountTree(tm).empty();
        for (SpaceMapBitmap bitmap : bitmaps) {
            bitmap.location = tm.allocateShadowLocation();
        }
    }

    /** Loads a committed space map: the index, every bitmap and the reference-count tree. */
    static MetadataSpaceMap open(TransactionManager tm, SpaceMapRoot root) throws IOException {
        BlockManager bm = tm.blockManager();
        if (root.nrBlocks() <= 0 || root.nrBlocks() > MAX_BLOCKS || root.nrBlocks() > bm.nrBlocks()) {
            throw INDEX.corrupt(0, "space map covers " + root.nrBlocks() + " blocks; the device has "
                    + bm.nrBlocks() + " (at most " + MAX_BLOCKS + " usable)");
        }
        MetadataSpaceMap sm = new MetadataSpaceMap(root.nrBlocks());
        sm.indexLocation = root.bitmapRoot();
        sm.refCountRoot = root.refCountRoot();
        ByteBuffer index = bm.read(root.bitmapRoot(), INDEX).data();
        for (int k = 0; k < sm.bitmaps.length; k++) {
            int off = INDEX_ENTRY_SIZE + INDEX_ENTRY_SIZE * k;
            SpaceMapBitmap bitmap = sm.bitmaps[k];
            bitmap.location = index.getLong(off);
            bitmap.load(bm.read(bitmap.location, BITMAP).data(), index.getInt(off + 12));
            sm.nrAllocated += SpaceMapBitmap.ENTRIES - bitmap.nrFree;
        }
        refCountTree(tm).walk(sm.refCountRoot, (block, count) -> sm.overflow.put(block, count));
        sm.checkOverflow();
        return sm;
    }

    /** Every entry of 3 needs its count in the tree, and the tree holds nothing else. */
    private void checkOverflow() throws MetadataCorruptException {
        for (Map.Entry<Long, Long> e : overflow.entrySet()) {
            long b = e.getKey();
            if (b < 0 || b >= nrBlocks || entry(b) != 3 || e.getValue() < 3) {
                throw new MetadataCorruptException(b, STRUCTURE, "reference-count tree says " + e.getValue()
                        + " but the bitmap entry is " + (b >= 0 && b < nrBlocks ? entry(b) : -1));
            }
        }
        for (long b = 0; b < nrBlocks; b++) {
            if (entry(b) == 3 && !overflow.containsKey(b)) {
                throw new MetadataCorruptException(b, STRUCTURE, "count >= 3 in the bitmap but no entry in the reference-count tree");
            }
        }
    }

    /** Blocks managed. */
    public long nrBlocks() {
        return nrBlocks;
    }

    /** Blocks with a non-zero count. */
    public long nrAllocated() {
        return nrAllocated;
    }

    /** Blocks with a zero count (including those freed in this transaction, not yet reusable). */
    public long nrFree() {
        return nrBlocks - nrAllocated;
    }

    /** The reference count of block {@code b}. */
    public long count(long b) throws MetadataCorruptException {
        int v = entry(checkRange(b));
        return v < 3 ? v : overflow.get(b);
    }

    /** Adds a reference. */
    public void inc(long b) throws MetadataCorruptException {
        setCount(b, count(b) + 1);
    }

    /** Drops a reference; dropping one from a free block means the metadata is inconsistent. */
    public void dec(long b) throws MetadataCorruptException {
        long c = count(b);
        if (c == 0) {
            throw new MetadataCorruptException(b, STRUCTURE, "reference count would drop below zero");
        }
        setCount(b, c - 1);
    }

    /**
     * Takes a block that is free now and was free at the last commit, and gives it count 1. The
     * second condition keeps every block of the on-disk state intact until the next commit.
     */
    public long allocate() throws IOException {
        long b = findFree(cursor);
        if (b < 0) {
            b = findFree(0);
        }
        if (b < 0) {
            throw new BlockIoException(Errno.ENOSPC,
                    "metadata space map: no free block (" + nrBlocks + " blocks, " + nrAllocated
                            + " in use; blocks freed in this transaction become free at commit)");
        }
        setCount(b, 1);
        cursor = b + 1;
        return b;
    }

    /** The root as it stands (valid on disk after {@link #prepareCommit}). */
    public SpaceMapRoot root() {
        return new SpaceMapRoot(nrBlocks, nrAllocated, indexLocation, refCountRoot);
    }

    private long findFree(long from) {
        for (int k = (int) (from / SpaceMapBitmap.ENTRIES); k < bitmaps.length; k++) {
            long base = (long) k * SpaceMapBitmap.ENTRIES;
            int start = (int) Math.max(0, from - base);
            int limit = (int) Math.min(SpaceMapBitmap.ENTRIES, nrBlocks - base);
            int e = bitmaps[k].findCommonFree(start, limit);
            if (e >= 0) {
                return base + e;
            }
        }
        return -1;
    }

    private int entry(long b) {
        return bitmaps[(int) (b / SpaceMapBitmap.ENTRIES)].get((int) (b % SpaceMapBitmap.ENTRIES));
    }

    private long checkRange(long b) throws MetadataCorruptException {
        if (b < 0 || b >= nrBlocks) {
            throw new MetadataCorruptException(b, STRUCTURE, "block outside the space map (" + nrBlocks + " blocks)");
        }
        return b;
    }

    private void setCount(long b, long c) {
        // Boxing only on the rare overflow path (counts of 3 or more).
        int old = entry(b);
        int now = (int) Math.min(c, 3);
        if (c >= 3) {
            Long prev = overflow.put(b, c);
            if (prev == null || prev != c) {
                overflowDirty.add(b);
            }
        } else if (old == 3) {
            overflow.remove(b);
            overflowDirty.add(b);
        }
        if (old == 0 && now != 0) {
            nrAllocated++;
        } else if (old != 0 && now == 0) {
            nrAllocated--;
        }
        bitmaps[(int) (b / SpaceMapBitmap.ENTRIES)].set((int) (b % SpaceMapBitmap.ENTRIES), now);
    }

    /**
     * First half of a commit: brings the reference-count tree up to date, moves every changed bitmap
     * and the index to blocks new in this transaction (repeating until the moves themselves change
     * nothing more), and writes them into pinned blocks. Returns the root the superblock must carry.
     */
    SpaceMapRoot prepareCommit(TransactionManager tm) throws IOException {
        do {
            syncRefCountTree(tm);
            if (!anyChanged()) {
                return root();
            }
            relocate(tm);
        } while (!overflowDirty.isEmpty());
        BlockManager bm = tm.blockManager();
        ByteBuffer index = bm.writeLockZero(indexLocation, INDEX).data();
        for (int k = 0; k < bitmaps.length; k++) {
            SpaceMapBitmap bitmap = bitmaps[k];
            if (bitmap.changed()) {
                bitmap.store(bm.writeLockZero(bitmap.location, BITMAP).data());
            }
            int off = INDEX_ENTRY_SIZE + INDEX_ENTRY_SIZE * k;
            index.putLong(off, bitmap.location).putInt(off + 8, bitmap.nrFree).putInt(off + 12, bitmap.noneFreeBefore);
        }
        return root();
    }

    /** Second half: the superblock is on disk, so blocks freed in this transaction may be reused. */
    void finishCommit() {
        for (SpaceMapBitmap bitmap : bitmaps) {
            bitmap.committed = null;
        }
        cursor = 0;
    }

    private boolean anyChanged() {
        for (SpaceMapBitmap bitmap : bitmaps) {
            if (bitmap.changed()) {
                return true;
            }
        }
        return false;
    }

    private void syncRefCountTree(TransactionManager tm) throws IOException {
        BTree tree = refCountTree(tm);
        while (!overflowDirty.isEmpty()) {
            long b = overflowDirty.pollFirst();
            Long c = overflow.get(b);
            refCountRoot = c == null ? tree.remove(refCountRoot, b) : tree.insert(refCountRoot, b, c);
        }
    }

    private void relocate(TransactionManager tm) throws IOException {
        if (!tm.isShadow(indexLocation)) {
            long old = indexLocation;
            indexLocation = tm.allocateShadowLocation();
            dec(old);
        }
        boolean moved = true;
        while (moved) {
            moved = false;
            for (SpaceMapBitmap bitmap : bitmaps) {
                if (bitmap.changed() && !tm.isShadow(bitmap.location)) {
                    long old = bitmap.location;
                    bitmap.location = tm.allocateShadowLocation();
                    dec(old);
                    moved = true;
                }
            }
        }
    }
}
