package io.tiercache.core.cache;

import java.util.BitSet;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * A fixed-size bitset whose single-bit operations are atomic, like the kernel's
 * {@code set_bit}/{@code test_and_clear_bit}: request threads, migrations and the worker change
 * bits concurrently without a lock.
 */
final class AtomicBitset {
    private final AtomicLongArray words;
    private final long size;

    AtomicBitset(long size) {
        if (size < 0 || (size + 63) / 64 > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("bitset size " + size);
        }
        this.size = size;
        this.words = new AtomicLongArray((int) ((size + 63) / 64));
    }

    long size() {
        return size;
    }

    boolean get(long i) {
        return (words.get(index(i)) & mask(i)) != 0;
    }

    /** Sets bit {@code i}; true if it was clear. */
    boolean set(long i) {
        int w = index(i);
        long m = mask(i);
        long old = words.getAndUpdate(w, v -> v | m);
        return (old & m) == 0;
    }

    /** Clears bit {@code i}; true if it was set. Reads first, so clearing a clear bit writes nothing. */
    boolean clear(long i) {
        int w = index(i);
        long m = mask(i);
        if ((words.get(w) & m) == 0) {
            return false;
        }
        long old = words.getAndUpdate(w, v -> v & ~m);
        return (old & m) != 0;
    }

    /** The first set bit in {@code [from, to)}, or -1. */
    long nextSetBit(long from, long to) {
        long end = Math.min(to, size);
        for (long i = Math.max(from, 0); i < end; ) {
            long word = words.get(index(i)) >>> (i & 63);
            if (word != 0) {
                long found = i + Long.numberOfTrailingZeros(word);
                return found < end ? found : -1;
            }
            i = (i | 63) + 1;
        }
        return -1;
    }

    void clearAll() {
        for (int w = 0; w < words.length(); w++) {
            words.set(w, 0);
        }
    }

    /** The first {@code n} bits as a {@link BitSet}, for the metadata's {@code set_dirty_bits}. */
    BitSet snapshot(long n) {
        BitSet b = new BitSet();
        for (long i = nextSetBit(0, n); i >= 0; i = nextSetBit(i + 1, n)) {
            b.set(Math.toIntExact(i));
        }
        return b;
    }

    private int index(long i) {
        if (i < 0 || i >= size) {
            throw new IndexOutOfBoundsException("bit " + i + " of " + size);
        }
        return (int) (i >>> 6);
    }

    private static long mask(long i) {
        return 1L << (i & 63);
    }
}
