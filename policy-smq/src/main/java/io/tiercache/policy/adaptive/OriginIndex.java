package io.tiercache.policy.adaptive;

import java.util.Arrays;

/**
 * Finds the cache block holding an origin block: a chained hash table whose chains run through one
 * {@code int} per cache block, keyed by {@link BlockTable#oblock}. Buckets: a power of two, at least
 * a quarter of the cache blocks, so 5 to 6 bytes per cache block in all. A block is in the index from
 * the moment its promotion reserves a cblock until its demotion completes.
 */
final class OriginIndex {
    private static final int NONE = LinkedLists.NONE;
    /** 2^64 / φ: multiplying by it spreads neighbouring keys over the top bits (Fibonacci hashing). */
    static final long GOLDEN_RATIO_64 = 0x9E3779B97F4A7C15L;

    private final long[] keys;
    private final int[] chain;
    private final int[] buckets;
    private final int shift;

    OriginIndex(BlockTable blocks) {
        this.keys = blocks.oblock;
        this.chain = new int[blocks.size()];
        int n = Math.max(blocks.size() / 4, 16);
        int size = Integer.bitCount(n) == 1 ? n : Integer.highestOneBit(n) << 1;
        this.buckets = new int[size];
        this.shift = 64 - Integer.numberOfTrailingZeros(size);
        Arrays.fill(buckets, NONE);
    }

    private int bucket(long oblock) {
        return (int) ((oblock * GOLDEN_RATIO_64) >>> shift);
    }

    /** Adds cblock {@code c}, whose key must already be set. */
    void add(int c) {
        int b = bucket(keys[c]);
        chain[c] = buckets[b];
        buckets[b] = c;
    }

    /** The cblock holding {@code oblock}, or {@link LinkedLists#NONE}. */
    int find(long oblock) {
        for (int c = buckets[bucket(oblock)]; c != NONE; c = chain[c]) {
            if (keys[c] == oblock) {
                return c;
            }
        }
        return NONE;
    }

    void remove(int c) {
        int b = bucket(keys[c]);
        int prev = NONE;
        for (int x = buckets[b]; x != NONE; prev = x, x = chain[x]) {
            if (x == c) {
                if (prev == NONE) {
                    buckets[b] = chain[c];
                } else {
                    chain[prev] = chain[c];
                }
                return;
            }
        }
        throw new IllegalStateException("cblock " + c + " is not in the index");
    }

    long bytes() {
        return 4L * (chain.length + buckets.length);
    }
}
