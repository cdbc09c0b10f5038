package io.tiercache.policy.smq;

import java.util.Arrays;

/**
 * Every entry smq uses — sentinels, hotspot entries, cache entries — as parallel arrays indexed by
 * entry number, so an entry is 22 bytes and no object. Links (list neighbours, hash chain) are entry
 * numbers below {@link #NULL}, which bounds a policy at 2^28 − 2 entries like the kernel's 28-bit
 * indexes. The fields of entry {@code e} are {@code prev[e]}, {@code next[e]}, {@code hashNext[e]},
 * {@code oblock[e]} (an origin block, or a hotspot block for hotspot entries), {@code level[e]}
 * (0..63) and {@code flags[e]}.
 */
final class EntrySpace {
    /** "No entry". */
    static final int NULL = (1 << 28) - 1;
    /** The most entries a space can hold. */
    static final int MAX_ENTRIES = NULL - 1;

    static final byte DIRTY = 1;
    static final byte ALLOCATED = 2;
    static final byte SENTINEL = 4;
    static final byte PENDING = 8;

    final int[] prev;
    final int[] next;
    final int[] hashNext;
    final long[] oblock;
    final byte[] level;
    final byte[] flags;

    EntrySpace(int entries) {
        if (entries < 0 || entries > MAX_ENTRIES) {
            throw new IllegalArgumentException("smq supports at most " + MAX_ENTRIES + " entries, not " + entries);
        }
        prev = new int[entries];
        next = new int[entries];
        hashNext = new int[entries];
        oblock = new long[entries];
        level = new byte[entries];
        flags = new byte[entries];
        Arrays.fill(prev, NULL);
        Arrays.fill(next, NULL);
        Arrays.fill(hashNext, NULL);
    }

    int size() {
        return level.length;
    }

    boolean is(int e, byte flag) {
        return (flags[e] & flag) != 0;
    }

    void set(int e, byte flag, boolean on) {
        flags[e] = (byte) (on ? flags[e] | flag : flags[e] & ~flag);
    }

    boolean sentinel(int e) {
        return (flags[e] & SENTINEL) != 0;
    }

    int level(int e) {
        return level[e];
    }

    long bytes() {
        return 22L * size();
    }
}
