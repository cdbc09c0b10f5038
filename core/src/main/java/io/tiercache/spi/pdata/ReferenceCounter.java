package io.tiercache.spi.pdata;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * Recounts the references to every metadata block by walking the structures, and compares the
 * result with the space map: what tools 1.1 {@code cache_check} does (spec §8), so that images we
 * write can be checked without the tools, and the future {@code check} command has its engine.
 * Along the way it checks the B-tree shape tools 0.9 insist on (ordered keys, parent keys, at least
 * a third full below the root) and the array shape (dense keys, full blocks but the last).
 *
 * <p>A block referenced again is counted again but not walked again, as the tools do: its children
 * are referenced once, by it.
 */
public final class ReferenceCounter {
    private final TransactionManager tm;
    private final int[] refs;
    private final BitSet walked = new BitSet();
    private final List<String> problems = new ArrayList<>();

    public ReferenceCounter(TransactionManager tm) {
        this.tm = tm;
        this.refs = new int[(int) tm.blockManager().nrBlocks()];
    }

    /** Counts everything a cache superblock refers to (mapping, hint, dirty and discard structures). */
    public ReferenceCounter addCacheMetadata(CacheSuperblock sb) throws IOException {
        addSuperblock();
        addSpaceMap(sb.spaceMapRoot());
        addArray(sb.mappingRoot(), 8, sb.cacheBlocks(), "mapping array");
        if (sb.hintRoot() != 0) {
            addArray(sb.hintRoot(), -1, sb.cacheBlocks(), "hint array");
        }
        if (sb.version() >= 2) {
            addArray(sb.dirtyRoot(), 8, (sb.cacheBlocks() + 63) / 64, "dirty bitset");
        }
        addArray(sb.discardRoot(), 8, (sb.discardNrBlocks() + 63) / 64, "discard bitset");
        return this;
    }

    /** Counts the superblock's own reference (block 0). */
    public ReferenceCounter addSuperblock() {
        ref(0);
        return this;
    }

    /** Counts the space map's own blocks: index, bitmaps and reference-count tree. */
    public ReferenceCounter addSpaceMap(SpaceMapRoot root) throws IOException {
        if (!ref(root.bitmapRoot())) {
            return this;
        }
        try {
            ByteBuffer index = tm.read(root.bitmapRoot(), MetadataSpaceMap.INDEX).data();
            long bitmaps = (root.nrBlocks() + SpaceMapBitmap.ENTRIES - 1) / SpaceMapBitmap.ENTRIES;
            for (int k = 0; k < bitmaps; k++) {
                long b = index.getLong(16 + 16 * k);
                if (ref(b)) {
                    tm.read(b, MetadataSpaceMap.BITMAP);
                }
            }
        } catch (MetadataCorruptException e) {
            problems.add(e.getMessage());
        }
        addBTree(root.refCountRoot(), 4, MetadataSpaceMap.STRUCTURE + " reference-count tree", null);
        return this;
    }

    /** Counts an array: its B-tree and each array block once per reference. {@code valueSize} -1 = any. */
    public ReferenceCounter addArray(long root, int valueSize, long length, String name) throws IOException {
        Validator v = new Validator(BlockKind.ARRAY_BLOCK, name);
        long[] seen = {0};
        long[] size = {valueSize};
        addBTree(root, 8, name, (bi, location) -> {
            if (bi != seen[0]) {
                problems.add(name + ": array block key " + bi + " where " + seen[0] + " was expected");
            }
            seen[0]++;
            if (!ref(location)) {
                return;
            }
            ByteBuffer ab = tm.read(location, v).data();
            if (size[0] < 0) {
                size[0] = ArrayBlock.valueSize(ab);
            }
            if (ArrayBlock.valueSize(ab) != size[0] || ArrayBlock.maxEntries(ab) != ArrayBlock.capacity((int) size[0])) {
                problems.add(v.corrupt(location, "value size " + ArrayBlock.valueSize(ab) + ", max_entries "
                        + ArrayBlock.maxEntries(ab)).getMessage());
            } else {
                long expected = Math.min(ArrayBlock.maxEntries(ab), length - bi * ArrayBlock.maxEntries(ab));
                if (ArrayBlock.nrEntries(ab) != expected) {
                    problems.add(v.corrupt(location, "holds " + ArrayBlock.nrEntries(ab) + " entries, "
                            + expected + " expected for " + length).getMessage());
                }
            }
        });
        long blocks = size[0] <= 0 ? seen[0] : (length + ArrayBlock.capacity((int) size[0]) - 1) / ArrayBlock.capacity((int) size[0]);
        if (seen[0] != blocks) {
            problems.add(name + ": " + seen[0] + " array blocks, " + blocks + " expected for " + length + " entries");
        }
        return this;
    }

    /** Counts a B-tree's nodes and checks its shape; {@code values} (may be null) sees every leaf entry. */
    public ReferenceCounter addBTree(long root, int valueSize, String name, BTree.EntryVisitor values) throws IOException {
        walk(root, new Validator(BlockKind.BTREE_NODE, name), valueSize, values, true, null, null, 0);
        return this;
    }

    private void walk(long b, Validator v, int valueSize, BTree.EntryVisitor values, boolean isRoot,
            Long lower, Long upper, int depth) throws IOException {
        if (!ref(b) || depth > 32) {
            return;
        }
        ByteBuffer n;
        try {
            n = tm.read(b, v).data();
        } catch (MetadataCorruptException e) {
            problems.add(e.getMessage());
            return;
        }
        int nr = BTreeNode.nrEntries(n);
        boolean leaf = BTreeNode.isLeaf(n);
        checkNode(b, v, n, leaf ? valueSize : 8, isRoot, lower, upper);
        for (int i = 0; i < nr; i++) {
            long key = BTreeNode.key(n, i);
            long value = BTreeNode.value(n, i);
            if (leaf) {
                if (values != null) {
                    try {
                        values.visit(key, value);
                    } catch (MetadataCorruptException e) {
                        problems.add(e.getMessage());
                    }
                }
            } else {
                Long next = i + 1 < nr ? Long.valueOf(BTreeNode.key(n, i + 1)) : upper;
                walk(value, v, valueSize, values, false, key, next, depth + 1);
            }
        }
    }

    private void checkNode(long b, Validator v, ByteBuffer n, int valueSize, boolean isRoot, Long lower, Long upper) {
        int nr = BTreeNode.nrEntries(n);
        int max = BTreeNode.maxEntries(n);
        if (BTreeNode.valueSize(n) != valueSize) {
            problems.add(v.corrupt(b, "value size " + BTreeNode.valueSize(n) + ", expected " + valueSize).getMessage());
        }
        if (max % 3 != 0) {
            problems.add(v.corrupt(b, "max_entries " + max + " is not divisible by 3").getMessage());
        }
        if (!isRoot && nr < max / 3) {
            problems.add(v.corrupt(b, "too few entries: " + nr + ", at least " + max / 3 + " expected").getMessage());
        }
        for (int i = 0; i < nr; i++) {
            long k = BTreeNode.key(n, i);
            if (i > 0 && Long.compareUnsigned(BTreeNode.key(n, i - 1), k) >= 0) {
                problems.add(v.corrupt(b, "keys out of order at entry " + i).getMessage());
            }
            if (lower != null && Long.compareUnsigned(k, lower) < 0 || upper != null && Long.compareUnsigned(k, upper) >= 0) {
                problems.add(v.corrupt(b, "key " + Long.toUnsignedString(k) + " outside the parent's range ["
                        + lower + ", " + upper + ")").getMessage());
            }
        }
    }

    /** Counts a reference; true the first time the block is seen (walk it), false afterwards. */
    private boolean ref(long b) {
        if (b < 0 || b >= refs.length) {
            problems.add("reference to block " + b + " beyond the metadata device (" + refs.length + " blocks)");
            return false;
        }
        refs[(int) b]++;
        if (walked.get((int) b)) {
            return false;
        }
        walked.set((int) b);
        return true;
    }

    /** References found to block {@code b}. */
    public int references(long b) {
        return refs[(int) b];
    }

    /** Shape and validation problems found while walking. */
    public List<String> problems() {
        return problems;
    }

    /** Every block whose space-map count differs from the references found, leaks included. */
    public List<String> compareWithSpaceMap() throws IOException {
        List<String> out = new ArrayList<>();
        MetadataSpaceMap sm = tm.spaceMap();
        for (long b = 0; b < sm.nrBlocks(); b++) {
            long count = sm.count(b);
            int found = refs[(int) b];
            if (count != found) {
                out.add("block " + b + ": space map count " + count + ", " + found + " reference(s)"
                        + (found == 0 ? " (leaked)" : ""));
            }
        }
        for (long b = sm.nrBlocks(); b < refs.length; b++) {
            if (refs[(int) b] != 0) {
                out.add("block " + b + ": referenced but outside the space map");
            }
        }
        return out;
    }
}
