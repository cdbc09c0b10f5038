package io.tiercache.policy.smq;

import static io.tiercache.policy.smq.EntrySpace.NULL;

import java.util.Arrays;

/**
 * A chained hash table of entries keyed by {@link EntrySpace#oblock}, the chains running through
 * {@link EntrySpace#hashNext}: 4 bytes per bucket and nothing per entry beyond the entry itself.
 * Buckets: the next power of two at or above a quarter of the entries (at least 16). A successful
 * lookup moves the entry to the front of its chain, as it is likely to be looked up again.
 */
final class EntryHash {
    private static final long GOLDEN_RATIO_64 = 0x61C8864680B583EBL;

    private final EntrySpace es;
    private final int[] buckets;
    private final int shift;

    EntryHash(EntrySpace es, int entries) {
        this.es = es;
        int n = Math.max(entries / 4, 16);
        int size = Integer.bitCount(n) == 1 ? n : Integer.highestOneBit(n) << 1;
        this.buckets = new int[size];
        this.shift = 64 - Integer.numberOfTrailingZeros(size);
        Arrays.fill(buckets, NULL);
    }

    private int bucket(long key) {
        return (int) ((key * GOLDEN_RATIO_64) >>> shift);
    }

    void insert(int e) {
        int b = bucket(es.oblock[e]);
        es.hashNext[e] = buckets[b];
        buckets[b] = e;
    }

    /** The entry holding {@code key}, moved to the front of its chain, or {@code NULL}. */
    int lookup(long key) {
        int b = bucket(key);
        int prev = NULL;
        for (int e = buckets[b]; e != NULL; prev = e, e = es.hashNext[e]) {
            if (es.oblock[e] == key) {
                if (prev != NULL) {
                    es.hashNext[prev] = es.hashNext[e];
                    es.hashNext[e] = buckets[b];
                    buckets[b] = e;
                }
                return e;
            }
        }
        return NULL;
    }

    /** Unlinks {@code e} (found by walking its chain; chains are short). */
    void remove(int e) {
        int b = bucket(es.oblock[e]);
        int prev = NULL;
        for (int x = buckets[b]; x != NULL; prev = x, x = es.hashNext[x]) {
            if (x == e) {
                if (prev == NULL) {
                    buckets[b] = es.hashNext[e];
                } else {
                    es.hashNext[prev] = es.hashNext[e];
                }
                return;
            }
        }
    }

    long bytes() {
        return 4L * buckets.length;
    }
}
