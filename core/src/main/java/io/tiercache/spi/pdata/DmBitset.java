package io.tiercache.spi.pdata;

import java.io.IOException;

/**
 * A persistent bitset (spec §4.3; the kernel's dm-bitset): a {@link DmArray} of u64 words, bit
 * {@code i} being bit {@code i mod 64} of word {@code i / 64}. Bits past the length in the last word
 * are kept 0. Like the kernel, the word being worked on is cached; {@link #flush()} writes it back,
 * and {@link #root()} flushes first so the root handed to a superblock is always complete.
 */
public final class DmBitset {
    private static final int BITS = 64;
    private final DmArray words;
    private long nrBits;
    private long cachedIndex = -1;
    private long cachedWord;
    private boolean cachedDirty;

    private DmBitset(DmArray words, long nrBits) {
        this.words = words;
        this.nrBits = nrBits;
    }

    /** A new bitset of 0 bits. */
    public static DmBitset create(TransactionManager tm, String name) throws IOException {
        return new DmBitset(DmArray.create(tm, name, 8), 0);
    }

    /** An existing bitset at {@code root} holding {@code nrBits} bits. */
    public static DmBitset open(TransactionManager tm, String name, long root, long nrBits) {
        return new DmBitset(DmArray.open(tm, name, 8, root, wordsFor(nrBits)), nrBits);
    }

    private static long wordsFor(long bits) {
        return (bits + BITS - 1) / BITS;
    }

    /** The root, after writing back the cached word. */
    public long root() throws IOException {
        flush();
        return words.root();
    }

    public long nrBits() {
        return nrBits;
    }

    /** The underlying word array (flush first if bits were changed). */
    public DmArray words() {
        return words;
    }

    public boolean test(long bit) throws IOException {
        return (word(check(bit)) >>> (bit % BITS) & 1) != 0;
    }

    public void set(long bit) throws IOException {
        set(bit, true);
    }

    public void clear(long bit) throws IOException {
        set(bit, false);
    }

    public void set(long bit, boolean value) throws IOException {
        long w = word(check(bit));
        long mask = 1L << (bit % BITS);
        long updated = value ? w | mask : w & ~mask;
        if (updated != w) {
            cachedWord = updated;
            cachedDirty = true;
        }
    }

    /** Writes the cached word back if it changed. */
    public void flush() throws IOException {
        if (cachedDirty) {
            words.set(cachedIndex, cachedWord);
            cachedDirty = false;
        }
    }

    /** Grows (new bits = {@code fill}) or shrinks; bits past the new length stay 0. */
    public void resize(long newBits, boolean fill) throws IOException {
        if (newBits < 0) {
            throw new IllegalArgumentException("bits " + newBits);
        }
        flush();
        cachedIndex = -1;
        long oldBits = nrBits;
        if (newBits > oldBits && oldBits % BITS != 0 && fill) {
            // The old last word gains bits: they were 0 past the old length and must become 1.
            long wi = oldBits / BITS;
            long upTo = Math.min(newBits, (wi + 1) * BITS);
            words.set(wi, words.get(wi) | mask(oldBits % BITS, (int) (upTo - wi * BITS)));
        }
        words.resize(wordsFor(newBits), fill ? -1L : 0L);
        nrBits = newBits;
        int tail = (int) (newBits % BITS);
        if (tail != 0) {
            long wi = newBits / BITS;
            long w = words.get(wi);
            long trimmed = w & mask(0, tail);
            if (trimmed != w) {
                words.set(wi, trimmed);
            }
        }
    }

    /** Bits {@code [from, to)} of a word set. */
    private static long mask(long from, int to) {
        long upper = to == BITS ? -1L : (1L << to) - 1;
        return upper & (-1L << from);
    }

    /** Visits the index of every set bit in ascending order. */
    public void forEachSet(BitVisitor visitor) throws IOException {
        flush();
        words.forEach((wi, w) -> {
            long bits = w;
            while (bits != 0) {
                long bit = wi * BITS + Long.numberOfTrailingZeros(bits);
                if (bit >= nrBits) {
                    return;
                }
                visitor.visit(bit);
                bits &= bits - 1;
            }
        });
    }

    /** Frees the bitset; the handle is unusable afterwards. */
    public void delete() throws IOException {
        cachedDirty = false;
        cachedIndex = -1;
        words.delete();
        nrBits = 0;
    }

    private long word(long wi) throws IOException {
        if (wi != cachedIndex) {
            flush();
            cachedWord = words.get(wi);
            cachedIndex = wi;
        }
        return cachedWord;
    }

    private long check(long bit) {
        if (bit < 0 || bit >= nrBits) {
            throw new IndexOutOfBoundsException("bit " + bit + " of " + nrBits);
        }
        return bit / BITS;
    }

    /** Receives the set bits of {@link #forEachSet}. */
    @FunctionalInterface
    public interface BitVisitor {
        void visit(long bit) throws IOException;
    }
}
