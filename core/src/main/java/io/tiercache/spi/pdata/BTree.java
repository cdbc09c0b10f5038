package io.tiercache.spi.pdata;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * A single-level dm-btree with 64-bit keys (spec §4.1; the kernel's dm-btree): lookup, insert and
 * remove with copy-on-write shadowing, ordered traversal and deletion. Roots are passed in and the
 * (possibly new) root is returned, as in the kernel; the owner stores it.
 *
 * <p>Every non-root node keeps at least {@code max_entries / 3} entries (tools 0.9 {@code cache_check}
 * rejects fewer): insertion splits full nodes in halves on the way down, removal tops a child up
 * from a sibling or merges the two before descending into it. A parent key is never greater than
 * the first key of its child.
 */
public final class BTree {
    /** Deeper than any real tree: fan-out of at least 84 makes 2^64 keys fit in 11 levels. */
    private static final int MAX_DEPTH = 32;

    private final TransactionManager tm;
    private final Validator validator;
    private final int valueSize;
    private final ValueType valueType;

    /**
     * @param structure what the tree is, for error messages
     * @param valueSize bytes per leaf value (1..8)
     * @param valueType how leaf values take part in reference counting
     */
    public BTree(TransactionManager tm, String structure, int valueSize, ValueType valueType) {
        if (valueSize < 1 || valueSize > 8) {
            throw new IllegalArgumentException("value size " + valueSize);
        }
        this.tm = tm;
        this.validator = new Validator(BlockKind.BTREE_NODE, structure);
        this.valueSize = valueSize;
        this.valueType = valueType;
    }

    public Validator validator() {
        return validator;
    }

    /** Creates an empty tree (one empty leaf) and returns its root. */
    public long empty() throws IOException {
        Block b = tm.newBlock(validator);
        BTreeNode.init(b.data(), true, valueSize);
        return b.location();
    }

    /** The value at {@code key}, or {@code absent} if there is none. */
    public long lookup(long root, long key, long absent) throws IOException {
        ByteBuffer leaf = findLeaf(root, key);
        int i = leaf == null ? -1 : BTreeNode.search(leaf, key);
        return i >= 0 ? BTreeNode.value(leaf, i) : absent;
    }

    /** True if {@code key} is present. */
    public boolean contains(long root, long key) throws IOException {
        ByteBuffer leaf = findLeaf(root, key);
        return leaf != null && BTreeNode.search(leaf, key) >= 0;
    }

    /** The leaf that would hold {@code key}, or null if the key is below every key of the tree. */
    private ByteBuffer findLeaf(long root, long key) throws IOException {
        long b = root;
        for (int depth = 0; depth < MAX_DEPTH; depth++) {
            ByteBuffer n = readNode(b);
            if (BTreeNode.isLeaf(n)) {
                return n;
            }
            int i = BTreeNode.lowerBound(n, key);
            if (i < 0) {
                return null;
            }
            b = BTreeNode.value(n, i);
        }
        throw validator.corrupt(b, "tree deeper than " + MAX_DEPTH + " levels (a cycle?)");
    }

    /**
     * Inserts or overwrites {@code key}. The tree takes over one reference to {@code value} (the
     * caller has it already, e.g. from allocating the block); an overwritten value loses the
     * tree's reference unless it is the same value.
     */
    public long insert(long root, long key, long value) throws IOException {
        Block node = shadowNode(root);
        long newRoot = node.location();
        if (BTreeNode.isFull(node.data())) {
            splitBeneath(node);
        }
        while (!BTreeNode.isLeaf(node.data())) {
            ByteBuffer n = node.data();
            int i = BTreeNode.lowerBound(n, key);
            if (i < 0) {
                // New smallest key: the first entry's key drops to it, keeping parent <= child.
                i = 0;
                BTreeNode.setKey(n, 0, key);
            }
            Block child = shadowChild(node, i);
            if (BTreeNode.isFull(child.data())) {
                Block right = splitChild(node, i, child);
                if (Long.compareUnsigned(key, BTreeNode.key(right.data(), 0)) >= 0) {
                    child = right;
                }
            }
            node = child;
        }
        ByteBuffer n = node.data();
        int i = BTreeNode.search(n, key);
        if (i >= 0) {
            long old = BTreeNode.value(n, i);
            BTreeNode.setValue(n, i, value);
            if (old != value) {
                valueType.dec(old);
            }
        } else {
            BTreeNode.insertAt(n, -i - 1, key, value);
        }
        return newRoot;
    }

    /** Removes {@code key} (its value loses the tree's reference); returns the root unchanged if absent. */
    public long remove(long root, long key) throws IOException {
        if (!contains(root, key)) {
            return root;
        }
        return new BTreeRemove(this).remove(root, key);
    }

    /** Visits every entry in ascending key order. */
    public void walk(long root, EntryVisitor visitor) throws IOException {
        walk(root, visitor, 0);
    }

    private void walk(long b, EntryVisitor visitor, int depth) throws IOException {
        checkDepth(b, depth);
        ByteBuffer n = readNode(b);
        int nr = BTreeNode.nrEntries(n);
        boolean leaf = BTreeNode.isLeaf(n);
        for (int i = 0; i < nr; i++) {
            if (leaf) {
                visitor.visit(BTreeNode.key(n, i), BTreeNode.value(n, i));
            } else {
                walk(BTreeNode.value(n, i), visitor, depth + 1);
            }
        }
    }

    /** Number of entries. */
    public long size(long root) throws IOException {
        long[] n = {0};
        walk(root, (k, v) -> n[0]++);
        return n[0];
    }

    /**
     * Drops the reference held on the tree at {@code root} (the kernel's {@code dm_btree_del}): a
     * shared node only loses one reference; an unshared one is freed with everything it refers to.
     */
    public void delete(long root) throws IOException {
        delete(root, 0);
    }

    private void delete(long b, int depth) throws IOException {
        checkDepth(b, depth);
        if (tm.refCount(b) > 1) {
            tm.dec(b);
            return;
        }
        ByteBuffer n = readNode(b);
        int nr = BTreeNode.nrEntries(n);
        boolean leaf = BTreeNode.isLeaf(n);
        for (int i = 0; i < nr; i++) {
            if (leaf) {
                valueType.dec(BTreeNode.value(n, i));
            } else {
                delete(BTreeNode.value(n, i), depth + 1);
            }
        }
        tm.dec(b);
    }

    private void checkDepth(long b, int depth) throws MetadataCorruptException {
        if (depth >= MAX_DEPTH) {
            throw validator.corrupt(b, "tree deeper than " + MAX_DEPTH + " levels (a cycle?)");
        }
    }

    /** Reads a node and checks that it belongs to a tree of this value size. */
    ByteBuffer readNode(long b) throws IOException {
        return checkNode(tm.read(b, validator)).data();
    }

    private Block checkNode(Block block) throws MetadataCorruptException {
        ByteBuffer n = block.data();
        int expected = BTreeNode.isLeaf(n) ? valueSize : 8;
        if (BTreeNode.valueSize(n) != expected) {
            throw validator.corrupt(block.location(), (BTreeNode.isLeaf(n) ? "leaf" : "internal node")
                    + " value size " + BTreeNode.valueSize(n) + ", expected " + expected);
        }
        if (!BTreeNode.isLeaf(n) && BTreeNode.nrEntries(n) == 0) {
            throw validator.corrupt(block.location(), "internal node without entries");
        }
        return block;
    }

    /** Shadows a node for modification; a copy of a shared node adds a reference to its children. */
    Block shadowNode(long b) throws IOException {
        TransactionManager.Shadow s = tm.shadow(b, validator);
        Block block = checkNode(s.block());
        if (s.incChildren()) {
            incChildren(block.data());
        }
        return block;
    }

    /** Shadows child {@code i} of {@code parent} and points the parent at the copy. */
    Block shadowChild(Block parent, int i) throws IOException {
        ByteBuffer p = parent.data();
        long old = BTreeNode.value(p, i);
        Block child = shadowNode(old);
        if (child.location() != old) {
            BTreeNode.setValue(p, i, child.location());
        }
        return child;
    }

    private void incChildren(ByteBuffer n) throws IOException {
        int nr = BTreeNode.nrEntries(n);
        boolean leaf = BTreeNode.isLeaf(n);
        for (int i = 0; i < nr; i++) {
            long v = BTreeNode.value(n, i);
            if (leaf) {
                valueType.inc(v);
            } else {
                tm.inc(v);
            }
        }
    }

    /** The root is full: move its entries into two new children, so the root keeps its location. */
    private void splitBeneath(Block root) throws IOException {
        ByteBuffer r = root.data();
        int nr = BTreeNode.nrEntries(r);
        int nrLeft = nr / 2;
        Block left = newNodeLike(r);
        Block right = newNodeLike(r);
        BTreeNode.copyEntries(r, 0, left.data(), 0, nrLeft);
        BTreeNode.setNrEntries(left.data(), nrLeft);
        BTreeNode.copyEntries(r, nrLeft, right.data(), 0, nr - nrLeft);
        BTreeNode.setNrEntries(right.data(), nr - nrLeft);
        BTreeNode.clear(r);
        BTreeNode.init(r, false, 8);
        BTreeNode.insertAt(r, 0, BTreeNode.key(left.data(), 0), left.location());
        BTreeNode.insertAt(r, 1, BTreeNode.key(right.data(), 0), right.location());
    }

    /** Child {@code i} is full: move its upper half into a new right sibling; returns the sibling. */
    private Block splitChild(Block parent, int i, Block child) throws IOException {
        ByteBuffer c = child.data();
        int nr = BTreeNode.nrEntries(c);
        int nrLeft = nr / 2;
        Block right = newNodeLike(c);
        BTreeNode.copyEntries(c, nrLeft, right.data(), 0, nr - nrLeft);
        BTreeNode.setNrEntries(right.data(), nr - nrLeft);
        BTreeNode.truncate(c, nrLeft);
        BTreeNode.insertAt(parent.data(), i + 1, BTreeNode.key(right.data(), 0), right.location());
        return right;
    }

    private Block newNodeLike(ByteBuffer n) throws IOException {
        Block b = tm.newBlock(validator);
        BTreeNode.init(b.data(), BTreeNode.isLeaf(n), BTreeNode.valueSize(n));
        return b;
    }

    TransactionManager tm() {
        return tm;
    }

    ValueType valueType() {
        return valueType;
    }

    /** Receives the entries of a walk. */
    @FunctionalInterface
    public interface EntryVisitor {
        void visit(long key, long value) throws IOException;
    }
}
