package io.tiercache.spi.pdata;

import java.nio.ByteBuffer;

/**
 * One bitmap block of the metadata space map, held in memory: 16,320 two-bit reference counts
 * (spec §4.4) in the on-disk word layout, plus what the index entry says about it. Entry {@code e}
 * lives in word {@code e / 32}; bit {@code 2(e mod 32)} is the high bit and the next one the low bit.
 *
 * <p>While a transaction changes the bitmap, {@link #committed} keeps the words as of the last commit
 * so that allocation can skip blocks the committed state still uses (spec §7.3).
 */
final class SpaceMapBitmap {
    static final int ENTRIES = 16320;
    static final int WORDS = 510;
    static final int HEADER_SIZE = 16;
    private static final long LOW_BITS = 0x5555555555555555L;

    final long[] words = new long[WORDS];
    /** The words as of the last commit; null while unchanged in this transaction. */
    long[] committed;
    /** Where the bitmap block lives; 0 until it has one. */
    long location;
    /** Free entries in the whole bitmap, the kernel convention (entries past the device count). */
    int nrFree = ENTRIES;
    /** No entry before this one is free; a lower bound, raised on allocation, lowered on free. */
    int noneFreeBefore;

    boolean changed() {
        return committed != null;
    }

    int get(int e) {
        long w = words[e >>> 5];
        int shift = 2 * (e & 31);
        return (int) (w >>> shift & 1) << 1 | (int) (w >>> (shift + 1) & 1);
    }

    /** Sets entry {@code e} to {@code v} (0..3), keeping the committed copy and the free count. */
    void set(int e, int v) {
        int old = get(e);
        if (old == v) {
            return;
        }
        if (committed == null) {
            committed = words.clone();
        }
        int shift = 2 * (e & 31);
        long cleared = words[e >>> 5] & ~(3L << shift);
        words[e >>> 5] = cleared | (long) (v >>> 1) << shift | (long) (v & 1) << (shift + 1);
        if (old == 0) {
            nrFree--;
            if (e == noneFreeBefore) {
                noneFreeBefore = e + 1;
            }
        } else if (v == 0) {
            nrFree++;
            noneFreeBefore = Math.min(noneFreeBefore, e);
        }
    }

    /**
     * First entry in {@code [from, limit)} that is free both now and in the committed state, or -1.
     * Works a word (32 entries) at a time.
     */
    int findCommonFree(int from, int limit) {
        int start = Math.max(from, noneFreeBefore);
        for (int w = start >>> 5; w < WORDS && w << 5 < limit; w++) {
            long used = occupied(words[w]);
            if (committed != null) {
                used |= occupied(committed[w]);
            }
            long free = ~used & LOW_BITS;
            if (w == start >>> 5) {
                free &= -1L << (2 * (start & 31));
            }
            if (free != 0) {
                int e = (w << 5) + Long.numberOfTrailingZeros(free) / 2;
                return e < limit ? e : -1;
            }
        }
        return -1;
    }

    /** One bit per entry (at the even position) set where the entry is non-zero. */
    private static long occupied(long w) {
        return (w | w >>> 1) & LOW_BITS;
    }

    /** Loads the words from a validated bitmap block and recomputes the free count. */
    void load(ByteBuffer block, int noneFreeBeforeStored) {
        int used = 0;
        for (int w = 0; w < WORDS; w++) {
            words[w] = block.getLong(HEADER_SIZE + 8 * w);
            used += Long.bitCount(occupied(words[w]));
        }
        nrFree = ENTRIES - used;
        committed = null;
        noneFreeBefore = 0;
        // The stored hints follow either tool convention; trust them only as far as they are safe.
        noneFreeBefore = Math.min(Math.max(0, noneFreeBeforeStored), firstFree());
    }

    private int firstFree() {
        int e = findCommonFree(0, ENTRIES);
        return e < 0 ? ENTRIES : e;
    }

    void store(ByteBuffer block) {
        for (int w = 0; w < WORDS; w++) {
            block.putLong(HEADER_SIZE + 8 * w, words[w]);
        }
    }
}
