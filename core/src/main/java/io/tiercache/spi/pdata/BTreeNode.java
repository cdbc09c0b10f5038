package io.tiercache.spi.pdata;

import java.nio.ByteBuffer;

/**
 * Accessors for the on-disk B-tree node layout (spec §4.1), applied to a block's buffer in place so
 * that walking a tree allocates nothing: 32-byte header, then {@code max_entries} u64 keys, then
 * {@code max_entries} values of {@code value_size} bytes. Values are handled as unsigned
 * little-endian longs, which covers every tree of dm-cache (value sizes 4 and 8).
 */
final class BTreeNode {
    static final int INTERNAL = 1;
    static final int LEAF = 2;
    static final int HEADER_SIZE = 32;
    private static final int BLOCK = BlockManager.BLOCK_SIZE;

    private BTreeNode() {}

    /** Largest multiple of 3 entries that fits a block (spec §4.1): 252 for 8-byte values, 336 for 4. */
    static int capacity(int valueSize) {
        return 3 * ((BLOCK - HEADER_SIZE) / (8 + valueSize) / 3);
    }

    /** Formats a zero-filled block as an empty node. */
    static void init(ByteBuffer n, boolean leaf, int valueSize) {
        n.putInt(4, leaf ? LEAF : INTERNAL);
        n.putInt(16, 0);
        n.putInt(20, capacity(valueSize));
        n.putInt(24, valueSize);
        n.putInt(28, 0);
    }

    static boolean isLeaf(ByteBuffer n) {
        return n.getInt(4) == LEAF;
    }

    static int nrEntries(ByteBuffer n) {
        return n.getInt(16);
    }

    static void setNrEntries(ByteBuffer n, int nr) {
        n.putInt(16, nr);
    }

    static int maxEntries(ByteBuffer n) {
        return n.getInt(20);
    }

    static int valueSize(ByteBuffer n) {
        return n.getInt(24);
    }

    static boolean isFull(ByteBuffer n) {
        return nrEntries(n) >= maxEntries(n);
    }

    static long key(ByteBuffer n, int i) {
        return n.getLong(HEADER_SIZE + 8 * i);
    }

    static void setKey(ByteBuffer n, int i, long key) {
        n.putLong(HEADER_SIZE + 8 * i, key);
    }

    private static int valueOffset(ByteBuffer n, int i) {
        return HEADER_SIZE + 8 * maxEntries(n) + valueSize(n) * i;
    }

    static long value(ByteBuffer n, int i) {
        return getValue(n, valueOffset(n, i), valueSize(n));
    }

    static void setValue(ByteBuffer n, int i, long v) {
        putValue(n, valueOffset(n, i), valueSize(n), v);
    }

    /** Unsigned little-endian value of {@code size} (1..8) bytes at {@code off}. */
    static long getValue(ByteBuffer b, int off, int size) {
        return switch (size) {
            case 8 -> b.getLong(off);
            case 4 -> Integer.toUnsignedLong(b.getInt(off));
            default -> {
                long v = 0;
                for (int k = Math.min(size, 8) - 1; k >= 0; k--) {
                    v = v << 8 | (b.get(off + k) & 0xFF);
                }
                yield v;
            }
        };
    }

    static void putValue(ByteBuffer b, int off, int size, long v) {
        switch (size) {
            case 8 -> b.putLong(off, v);
            case 4 -> b.putInt(off, (int) v);
            default -> {
                for (int k = 0; k < size; k++) {
                    b.put(off + k, k < 8 ? (byte) (v >>> (8 * k)) : 0);
                }
            }
        }
    }

    /** Index of the last key {@code <= key}, or -1 if every key is greater (the kernel's lower_bound). */
    static int lowerBound(ByteBuffer n, long key) {
        int lo = -1;
        int hi = nrEntries(n);
        while (hi - lo > 1) {
            int mid = (lo + hi) >>> 1;
            if (Long.compareUnsigned(key(n, mid), key) <= 0) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** Index of {@code key}, or {@code -(insertion point) - 1} as in {@link java.util.Arrays#binarySearch}. */
    static int search(ByteBuffer n, long key) {
        int i = lowerBound(n, key);
        if (i >= 0 && key(n, i) == key) {
            return i;
        }
        return -(i + 1) - 1;
    }

    /** Inserts an entry at {@code i}, shifting the rest right; the node must not be full. */
    static void insertAt(ByteBuffer n, int i, long key, long value) {
        int nr = nrEntries(n);
        shift(n, i, nr, 1);
        setNrEntries(n, nr + 1);
        setKey(n, i, key);
        setValue(n, i, value);
    }

    /** Removes entry {@code i}, shifting the rest left and zeroing the freed slot. */
    static void deleteAt(ByteBuffer n, int i) {
        int nr = nrEntries(n);
        shift(n, i + 1, nr, -1);
        zero(n, nr - 1, 1);
        setNrEntries(n, nr - 1);
    }

    /** Moves entries {@code [from, to)} by {@code delta} slots within the node. */
    private static void shift(ByteBuffer n, int from, int to, int delta) {
        if (from >= to) {
            return;
        }
        byte[] a = n.array();
        int base = n.arrayOffset();
        int vs = valueSize(n);
        System.arraycopy(a, base + HEADER_SIZE + 8 * from, a, base + HEADER_SIZE + 8 * (from + delta), 8 * (to - from));
        System.arraycopy(a, base + valueOffset(n, from), a, base + valueOffset(n, from + delta), vs * (to - from));
    }

    /**
     * Copies {@code count} entries from {@code src[srcPos..]} to {@code dst[dstPos..]}. Both nodes
     * must have the same value size; the entry counts are the caller's business.
     */
    static void copyEntries(ByteBuffer src, int srcPos, ByteBuffer dst, int dstPos, int count) {
        if (count <= 0) {
            return;
        }
        int vs = valueSize(src);
        System.arraycopy(src.array(), src.arrayOffset() + HEADER_SIZE + 8 * srcPos,
                dst.array(), dst.arrayOffset() + HEADER_SIZE + 8 * dstPos, 8 * count);
        System.arraycopy(src.array(), src.arrayOffset() + valueOffset(src, srcPos),
                dst.array(), dst.arrayOffset() + valueOffset(dst, dstPos), vs * count);
    }

    /** Makes room at the front of {@code n} for {@code count} entries (the node must have the room). */
    static void shiftRight(ByteBuffer n, int count) {
        shift(n, 0, nrEntries(n), count);
    }

    /** Drops the first {@code count} entries, moving the rest to the front and zeroing the tail. */
    static void dropFront(ByteBuffer n, int count) {
        int nr = nrEntries(n);
        shift(n, count, nr, -count);
        zero(n, nr - count, count);
        setNrEntries(n, nr - count);
    }

    /** Drops entries from {@code from} to the end, zeroing them. */
    static void truncate(ByteBuffer n, int from) {
        int nr = nrEntries(n);
        zero(n, from, nr - from);
        setNrEntries(n, from);
    }

    /** Zeroes the key and value slots {@code [from, from + count)}: writers leave no stale bytes. */
    static void zero(ByteBuffer n, int from, int count) {
        if (count <= 0) {
            return;
        }
        byte[] a = n.array();
        int base = n.arrayOffset();
        java.util.Arrays.fill(a, base + HEADER_SIZE + 8 * from, base + HEADER_SIZE + 8 * (from + count), (byte) 0);
        java.util.Arrays.fill(a, base + valueOffset(n, from), base + valueOffset(n, from + count), (byte) 0);
    }

    /** Zeroes everything after the checksum: used before re-formatting a node in place. */
    static void clear(ByteBuffer n) {
        java.util.Arrays.fill(n.array(), n.arrayOffset() + 4, n.arrayOffset() + BLOCK, (byte) 0);
    }
}
