package io.tiercache.spi.pdata;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * A persistent fixed-length array of fixed-size values (spec §4.2; the kernel's dm-array): a
 * B-tree mapping array-block index 0, 1, 2, ... to array blocks of {@link #entriesPerBlock()} packed
 * values, every block full but the last. The length is not on disk; the owner keeps it (for
 * dm-cache, the superblock's {@code cache_blocks}).
 *
 * <p>Values are plain data (no references). Values of up to 8 bytes are read and written as
 * unsigned little-endian longs; any size can be accessed as bytes. Not thread-safe.
 */
public final class DmArray {
    private final TransactionManager tm;
    private final String name;
    private final int valueSize;
    private final int entriesPerBlock;
    private final Validator validator;
    private final BTree btree;
    private long root;
    private long length;
    /**
     * The array block used last, so that walking neighbouring entries does not walk the tree each
     * time. Safe because a clean block never changes and a shadow changes only through this handle;
     * dropped whenever blocks may have left the array.
     */
    private long lastIndex = -1;
    private Block lastBlock;

    private DmArray(TransactionManager tm, String name, int valueSize, long root, long length) {
        if (valueSize < 1 || valueSize > BlockManager.BLOCK_SIZE - ArrayBlock.HEADER_SIZE) {
            throw new IllegalArgumentException("value size " + valueSize);
        }
        this.tm = tm;
        this.name = name;
        this.valueSize = valueSize;
        this.entriesPerBlock = ArrayBlock.capacity(valueSize);
        this.validator = new Validator(BlockKind.ARRAY_BLOCK, name);
        this.btree = new BTree(tm, name, 8, ValueType.blockReferences(tm));
        this.root = root;
        this.length = length;
    }

    /** A new array of length 0 (an empty B-tree). */
    public static DmArray create(TransactionManager tm, String name, int valueSize) throws IOException {
        DmArray a = new DmArray(tm, name, valueSize, 0, 0);
        a.root = a.btree.empty();
        return a;
    }

    /** An existing array at {@code root} whose owner says it has {@code length} entries. */
    public static DmArray open(TransactionManager tm, String name, int valueSize, long root, long length) {
        return new DmArray(tm, name, valueSize, root, length);
    }

    /** The values per array block for a value size: 509 for 8 bytes, 1018 for 4. */
    public static int entriesPerBlock(int valueSize) {
        return ArrayBlock.capacity(valueSize);
    }

    public long root() {
        return root;
    }

    public long length() {
        return length;
    }

    public int valueSize() {
        return valueSize;
    }

    public int entriesPerBlock() {
        return entriesPerBlock;
    }

    /** Points the handle at a root its B-tree was edited to directly (e.g. to share array blocks). */
    void replaceRoot(long newRoot) {
        this.root = newRoot;
        forgetLastBlock();
    }

    private void forgetLastBlock() {
        lastIndex = -1;
        lastBlock = null;
    }

    /** The B-tree of array-block locations. */
    public BTree btree() {
        return btree;
    }

    /** Value {@code index} (value size at most 8). */
    public long get(long index) throws IOException {
        ByteBuffer ab = readBlock(index / entriesPerBlock, slot(index) + 1);
        return BTreeNode.getValue(ab, ArrayBlock.offset(valueSize, slot(index)), valueSize);
    }

    /** Copies value {@code index} into {@code dst} (length = value size). */
    public void get(long index, byte[] dst) throws IOException {
        ByteBuffer ab = readBlock(index / entriesPerBlock, slot(index) + 1);
        ab.get(ArrayBlock.offset(valueSize, slot(index)), dst, 0, valueSize);
    }

    /** Sets value {@code index} (value size at most 8). */
    public void set(long index, long value) throws IOException {
        ByteBuffer ab = shadowBlock(index / entriesPerBlock, slot(index) + 1);
        BTreeNode.putValue(ab, ArrayBlock.offset(valueSize, slot(index)), valueSize, value);
    }

    /** Sets value {@code index} from {@code src} (length = value size). */
    public void set(long index, byte[] src) throws IOException {
        ByteBuffer ab = shadowBlock(index / entriesPerBlock, slot(index) + 1);
        ab.put(ArrayBlock.offset(valueSize, slot(index)), src, 0, valueSize);
    }

    /** Grows (new entries = {@code fill}, value size at most 8) or shrinks the array. */
    public void resize(long newLength, long fill) throws IOException {
        byte[] pattern = new byte[valueSize];
        for (int k = 0; k < valueSize && k < 8; k++) {
            pattern[k] = (byte) (fill >>> (8 * k));
        }
        resize(newLength, pattern);
    }

    /** Grows (new entries = {@code fill}) or shrinks the array (spec §4.2 shape: full blocks, then one partial). */
    public void resize(long newLength, byte[] fill) throws IOException {
        if (newLength < 0) {
            throw new IllegalArgumentException("length " + newLength);
        }
        forgetLastBlock();
        if (newLength > length) {
            grow(newLength, fill);
        } else if (newLength < length) {
            shrink(newLength);
        }
        length = newLength;
    }

    private void grow(long newLength, byte[] fill) throws IOException {
        long oldBlocks = blocksFor(length);
        int lastNr = (int) (length % entriesPerBlock);
        if (lastNr != 0) {
            long bi = oldBlocks - 1;
            ByteBuffer ab = shadowBlock(bi, lastNr);
            int upTo = (int) Math.min(entriesPerBlock, newLength - bi * entriesPerBlock);
            fillSlots(ab, lastNr, upTo, fill);
            ArrayBlock.setNrEntries(ab, upTo);
        }
        for (long bi = oldBlocks; bi < blocksFor(newLength); bi++) {
            Block block = tm.newBlock(validator);
            ByteBuffer ab = block.data();
            ArrayBlock.init(ab, valueSize);
            int nr = (int) Math.min(entriesPerBlock, newLength - bi * entriesPerBlock);
            fillSlots(ab, 0, nr, fill);
            ArrayBlock.setNrEntries(ab, nr);
            root = btree.insert(root, bi, block.location());
        }
    }

    private void shrink(long newLength) throws IOException {
        long newBlocks = blocksFor(newLength);
        for (long bi = blocksFor(length) - 1; bi >= newBlocks; bi--) {
            root = btree.remove(root, bi);
        }
        int lastNr = (int) (newLength % entriesPerBlock);
        long lastBlockEntries = Math.min(entriesPerBlock, length - (newBlocks - 1) * entriesPerBlock);
        if (lastNr != 0 && lastBlockEntries > lastNr) {
            ByteBuffer ab = shadowBlock(newBlocks - 1, lastNr);
            int nr = ArrayBlock.nrEntries(ab);
            Arrays.fill(ab.array(), ab.arrayOffset() + ArrayBlock.offset(valueSize, lastNr),
                    ab.arrayOffset() + ArrayBlock.offset(valueSize, nr), (byte) 0);
            ArrayBlock.setNrEntries(ab, lastNr);
        }
    }

    private void fillSlots(ByteBuffer ab, int from, int to, byte[] fill) {
        byte[] a = ab.array();
        int base = ab.arrayOffset();
        boolean zero = true;
        for (byte x : fill) {
            zero &= x == 0;
        }
        if (zero) {
            Arrays.fill(a, base + ArrayBlock.offset(valueSize, from), base + ArrayBlock.offset(valueSize, to), (byte) 0);
            return;
        }
        for (int s = from; s < to; s++) {
            System.arraycopy(fill, 0, a, base + ArrayBlock.offset(valueSize, s), valueSize);
        }
    }

    /**
     * Visits every value in index order (value size at most 8), checking the array's shape on the
     * way: dense block keys, every block as full as the length requires.
     */
    public void forEach(ValueVisitor visitor) throws IOException {
        long[] next = {0};
        btree.walk(root, (bi, location) -> {
            if (bi != next[0]) {
                throw btree.validator().corrupt(location, "array block key " + bi + " where " + next[0] + " was expected");
            }
            long base = bi * entriesPerBlock;
            int expected = (int) Math.max(0, Math.min(entriesPerBlock, length - base));
            ByteBuffer ab = checkBlock(tm.read(location, validator), expected);
            for (int s = 0; s < expected; s++) {
                visitor.visit(base + s, BTreeNode.getValue(ab, ArrayBlock.offset(valueSize, s), valueSize));
            }
            next[0]++;
        });
        if (next[0] < blocksFor(length)) {
            throw btree.validator().corrupt(root, "array has " + next[0] + " blocks; " + length + " entries need "
                    + blocksFor(length));
        }
    }

    /** Frees the whole array (drops its reference on the tree); the handle is unusable afterwards. */
    public void delete() throws IOException {
        forgetLastBlock();
        btree.delete(root);
        root = 0;
        length = 0;
    }

    private int slot(long index) {
        if (index < 0 || index >= length) {
            throw new IndexOutOfBoundsException(name + ": index " + index + " of " + length);
        }
        return (int) (index % entriesPerBlock);
    }

    private long blocksFor(long n) {
        return (n + entriesPerBlock - 1) / entriesPerBlock;
    }

    private long blockLocation(long bi) throws IOException {
        long location = btree.lookup(root, bi, -1);
        if (location == -1) {
            throw btree.validator().corrupt(root, "array block " + bi + " missing from the tree");
        }
        return location;
    }

    private ByteBuffer readBlock(long bi, int minEntries) throws IOException {
        if (bi != lastIndex) {
            lastBlock = tm.read(blockLocation(bi), validator);
            lastIndex = bi;
        }
        return checkBlock(lastBlock, minEntries);
    }

    /**
     * Shadows array block {@code bi} and points the tree at the copy. The shadow already moved the
     * tree's reference off the old block; the insert will drop it once more when it overwrites the
     * old value, so the old block gets one back first (as the kernel's {@code __reinsert_ablock}).
     */
    private ByteBuffer shadowBlock(long bi, int minEntries) throws IOException {
        if (bi == lastIndex && tm.isShadow(lastBlock.location()) && tm.refCount(lastBlock.location()) == 1) {
            return checkBlock(lastBlock, minEntries);
        }
        long location = blockLocation(bi);
        TransactionManager.Shadow s = tm.shadow(location, validator);
        ByteBuffer ab = checkBlock(s.block(), minEntries);
        if (s.block().location() != location) {
            tm.inc(location);
            root = btree.insert(root, bi, s.block().location());
        }
        lastIndex = bi;
        lastBlock = s.block();
        return ab;
    }

    private ByteBuffer checkBlock(Block block, int minEntries) throws MetadataCorruptException {
        ByteBuffer ab = block.data();
        if (ArrayBlock.valueSize(ab) != valueSize) {
            throw validator.corrupt(block.location(), "value size " + ArrayBlock.valueSize(ab) + ", expected " + valueSize);
        }
        if (ArrayBlock.maxEntries(ab) != entriesPerBlock) {
            throw validator.corrupt(block.location(), "max_entries " + ArrayBlock.maxEntries(ab) + ", expected " + entriesPerBlock);
        }
        if (ArrayBlock.nrEntries(ab) < minEntries) {
            throw validator.corrupt(block.location(), "holds " + ArrayBlock.nrEntries(ab) + " entries, at least "
                    + minEntries + " expected");
        }
        return ab;
    }

    /** Receives the values of {@link #forEach}. */
    @FunctionalInterface
    public interface ValueVisitor {
        void visit(long index, long value) throws IOException;
    }
}
