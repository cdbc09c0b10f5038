package io.tiercache.policy.adaptive;

/**
 * How often every key has been used lately, in a table of fixed size however many keys there are:
 * a count-min sketch of 4-bit counters (the frequency filter of TinyLFU).
 *
 * <p>Each key maps to four counters in one 64-byte stretch of the table (one cache line); its
 * estimate is the smallest of the four, so collisions can only inflate it. An increment raises only
 * the counters that equal that minimum ("conservative update"), which keeps the inflation small.
 * Counters stop at 15.
 *
 * <p><b>Aging.</b> After {@code samplePeriod} increments every counter is halved, so an estimate
 * is a decaying count over the last few periods: keys that were popular long ago fade, and a key
 * popular now can outbid them. The period is counted in accesses, not in time, so the policy behaves
 * the same at any request rate.
 */
final class FrequencySketch {
    /** The largest count a counter holds. */
    static final int MAX_COUNT = 15;

    private static final long HALVE_MASK = 0x7777_7777_7777_7777L;
    private static final int LONGS_PER_LINE = 8;

    private final long[] table;
    private final int lines;
    private final int samplePeriod;
    private int increments;
    private long halvings;

    /**
     * @param longs the size of the table in longs (16 counters each), rounded up to whole cache lines,
     *     at least 64
     * @param samplePeriod increments between two halvings
     */
    FrequencySketch(int longs, int samplePeriod) {
        int n = Math.max(64, (int) Math.min(Integer.MAX_VALUE - 8, (longs + 7L) / LONGS_PER_LINE * LONGS_PER_LINE));
        this.table = new long[n];
        this.lines = n / LONGS_PER_LINE;
        this.samplePeriod = Math.max(1, samplePeriod);
    }

    /** A 64-bit mix of the key (the splitmix64 finaliser), so neighbouring keys land far apart. */
    private static long mix(long key) {
        long z = key + 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** The first long of the key's line: the hash's high 32 bits scaled onto the number of lines. */
    private int line(long h) {
        return (int) (((h >>> 32) * lines) >>> 32) * LONGS_PER_LINE;
    }

    /** Counter {@code i} (0..3) lives in long {@code 2i} or {@code 2i+1} of the line (hash bit i)… */
    private static int slot(int line, long h, int i) {
        return line + (i << 1) + (int) ((h >>> i) & 1);
    }

    /** … at the nibble named by hash bits {@code 4+4i .. 7+4i}. */
    private static int shift(long h, int i) {
        return (int) ((h >>> (4 + (i << 2))) & 15) << 2;
    }

    /** The estimated number of recent uses of {@code key}, 0..15. */
    int frequency(long key) {
        long h = mix(key);
        int line = line(h);
        int min = MAX_COUNT;
        for (int i = 0; i < 4; i++) {
            min = Math.min(min, (int) ((table[slot(line, h, i)] >>> shift(h, i)) & 15));
        }
        return min;
    }

    /** Records one use of {@code key}; every {@code samplePeriod} increments, halves all counts. */
    void increment(long key) {
        long h = mix(key);
        int line = line(h);
        int min = frequency(key);
        if (min == MAX_COUNT) {
            return;
        }
        for (int i = 0; i < 4; i++) {
            int slot = slot(line, h, i);
            int shift = shift(h, i);
            if (((table[slot] >>> shift) & 15) == min) {
                table[slot] += 1L << shift;
            }
        }
        if (++increments >= samplePeriod) {
            halve();
        }
    }

    /** Raises the estimate of {@code key} to at least {@code count} (restoring a hint); not an increment. */
    void raiseTo(long key, int count) {
        long target = Math.min(Math.max(count, 0), MAX_COUNT);
        long h = mix(key);
        int line = line(h);
        for (int i = 0; i < 4; i++) {
            int slot = slot(line, h, i);
            int shift = shift(h, i);
            long current = (table[slot] >>> shift) & 15;
            if (current < target) {
                table[slot] += (target - current) << shift;
            }
        }
    }

    private void halve() {
        for (int i = 0; i < table.length; i++) {
            table[i] = (table[i] >>> 1) & HALVE_MASK;
        }
        increments >>>= 1;
        halvings++;
    }

    /** How many times the counts have been halved: a clock that ticks once per sample period. */
    long halvings() {
        return halvings;
    }

    long bytes() {
        return 8L * table.length;
    }
}
