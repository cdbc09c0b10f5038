package io.tiercache.policy.adaptive;

import java.util.function.IntPredicate;

/**
 * The cache blocks whose work (promotion or demotion) is queued and not yet handed out, in the
 * order it was queued. The work itself is the block's state in the {@link BlockTable}, so a block has
 * at most one piece of work and the ring holds only cblocks. Its capacity bounds the work waiting at
 * once: an eighth of the cache, at least 16 and at most 4096 (the kernel's tracker limit); while it
 * is full, misses are not promoted. Half a byte per cache block at most.
 */
final class WorkRing {
    static final int MAX_QUEUED = 4096;
    static final int MIN_QUEUED = 16;

    private final int[] ring;
    private int head;
    private int count;

    WorkRing(int cacheBlocks) {
        ring = new int[Math.min(MAX_QUEUED, Math.max(MIN_QUEUED, cacheBlocks / 8))];
    }

    boolean isFull() {
        return count == ring.length;
    }

    boolean isEmpty() {
        return count == 0;
    }

    void add(int c) {
        if (isFull()) {
            throw new IllegalStateException("work queue full");
        }
        ring[(head + count) % ring.length] = c;
        count++;
    }

    /** The oldest queued cblock, removed, or {@link LinkedLists#NONE}. */
    int poll() {
        if (count == 0) {
            return LinkedLists.NONE;
        }
        int c = ring[head];
        head = (head + 1) % ring.length;
        count--;
        return c;
    }

    /** Drops every queued cblock for which {@code withdraw} says so (rare: migrations were switched off). */
    void removeIf(IntPredicate withdraw) {
        int kept = 0;
        for (int i = 0; i < count; i++) {
            int c = ring[(head + i) % ring.length];
            if (!withdraw.test(c)) {
                ring[(head + kept) % ring.length] = c;
                kept++;
            }
        }
        count = kept;
    }

    long bytes() {
        return 4L * ring.length;
    }
}
