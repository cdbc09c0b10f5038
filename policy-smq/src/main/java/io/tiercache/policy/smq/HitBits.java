package io.tiercache.policy.smq;

/**
 * A fixed bitset of "already hit this tick/period" flags that is cleared often. Clearing touches
 * only the words set since the last clear (remembered in a list the first time they are set),
 * so a per-tick clear of the hotspot bits of a million-block cache costs what the tick's hits cost,
 * not a 31 KB wipe per request. Same answers as clearing everything.
 */
final class HitBits {
    private final long[] words;
    private final int[] touched;
    /** One bit per word: listed in {@code touched} (a word cleared bit by bit stays listed). */
    private final long[] listed;
    private int nTouched;

    HitBits(int bits) {
        words = new long[(bits + 63) >>> 6];
        touched = new int[words.length];
        listed = new long[(words.length + 63) >>> 6];
    }

    /** Sets bit {@code i}; true if it was already set. */
    boolean testAndSet(int i) {
        int w = i >>> 6;
        long mask = 1L << i;
        long word = words[w];
        if ((word & mask) != 0) {
            return true;
        }
        if ((listed[w >>> 6] & (1L << w)) == 0) {
            listed[w >>> 6] |= 1L << w;
            touched[nTouched++] = w;
        }
        words[w] = word | mask;
        return false;
    }

    /** Clears bit {@code i}. */
    void clear(int i) {
        words[i >>> 6] &= ~(1L << i);
    }

    void clearAll() {
        for (int k = 0; k < nTouched; k++) {
            words[touched[k]] = 0;
            listed[touched[k] >>> 6] = 0;
        }
        nTouched = 0;
    }

    long bytes() {
        return 12L * words.length + 8L * listed.length;
    }
}
