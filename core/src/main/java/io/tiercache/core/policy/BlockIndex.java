package io.tiercache.core.policy;

import java.util.Arrays;

/**
 * A map from origin block to cache block without an object per entry: a chained hash table whose
 * chains run through an array indexed by cblock (as the kernel's smq does), so it costs 12 bytes per
 * cache block plus the buckets and allocates nothing after construction. Each cblock holds at most
 * one key.
 */
public final class BlockIndex {
    private static final int NONE = -1;
    private static final long GOLDEN_RATIO_64 = 0x61C8864680B583EBL;

    private final int[] buckets;
    private final int[] chain;
    private final long[] keys;
    private final int shift;

    public BlockIndex(int cacheBlocks) {
        int nBuckets = Integer.highestOneBit(Math.max(16, cacheBlocks / 2) - 1) << 1;
        this.buckets = new int[nBuckets];
        this.chain = new int[cacheBlocks];
        this.keys = new long[cacheBlocks];
        this.shift = 64 - Integer.numberOfTrailingZeros(nBuckets);
        Arrays.fill(buckets, NONE);
    }

    private int bucket(long key) {
        return (int) ((key * GOLDEN_RATIO_64) >>> shift);
    }

    /** The cblock holding {@code key}, or -1. */
    public int get(long key) {
        for (int c = buckets[bucket(key)]; c != NONE; c = chain[c]) {
            if (keys[c] == key) {
                return c;
            }
        }
        return NONE;
    }

    /** Records {@code key} at {@code cblock}; the caller guarantees neither is present. */
    public void put(long key, int cblock) {
        int b = bucket(key);
        keys[cblock] = key;
        chain[cblock] = buckets[b];
        buckets[b] = cblock;
    }

    /** Removes the key held by {@code cblock}; false if the index does not hold it there. */
    public boolean remove(int cblock) {
        long key = keys[cblock];
        int b = bucket(key);
        int prev = NONE;
        for (int c = buckets[b]; c != NONE; prev = c, c = chain[c]) {
            if (c == cblock) {
                if (prev == NONE) {
                    buckets[b] = chain[c];
                } else {
                    chain[prev] = chain[c];
                }
                return true;
            }
        }
        return false;
    }

    /** The key last stored at {@code cblock} (meaningful only while it is in the index). */
    public long keyAt(int cblock) {
        return keys[cblock];
    }

    public long memoryBytes() {
        return 4L * buckets.length + 4L * chain.length + 8L * keys.length;
    }
}
