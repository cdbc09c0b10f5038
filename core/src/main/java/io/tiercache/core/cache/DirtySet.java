package io.tiercache.core.cache;

import io.tiercache.spi.policy.CachePolicy;
import java.util.BitSet;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The in-core dirty bits and their count (target-semantics §4.8): they change far too often to be
 * committed, so they live here and reach the metadata only at postsuspend. Every change is mirrored
 * to the policy, and the count dropping to zero raises a device event (§2.3), which tools wait for.
 */
final class DirtySet {
    private final AtomicBitset bits;
    private final AtomicLong count = new AtomicLong();
    private final CachePolicy policy;
    private final Runnable allClean;

    DirtySet(long cacheBlocks, CachePolicy policy, Runnable allClean) {
        this.bits = new AtomicBitset(cacheBlocks);
        this.policy = policy;
        this.allClean = allClean;
    }

    boolean isDirty(long cblock) {
        return bits.get(cblock);
    }

    long count() {
        return count.get();
    }

    /** A write hit dirties the block ({@code set_dirty}): the policy hears of it only on a change. */
    void set(long cblock) {
        if (bits.set(cblock)) {
            count.incrementAndGet();
            policy.setDirty(cblock);
        }
    }

    /** An overwrite promotion completes dirty ({@code force_set_dirty}). */
    void forceSet(long cblock) {
        if (bits.set(cblock)) {
            count.incrementAndGet();
        }
        policy.setDirty(cblock);
    }

    /** A migration completes clean ({@code force_clear_dirty}). */
    void forceClear(long cblock) {
        if (bits.clear(cblock) && count.decrementAndGet() == 0) {
            allClean.run();
        }
        policy.clearDirty(cblock);
    }

    /** A mapping loaded at preresume; the policy learns the bit from its own load. */
    void load(long cblock, boolean dirty) {
        if (dirty) {
            if (bits.set(cblock)) {
                count.incrementAndGet();
            }
        } else if (bits.clear(cblock)) {
            count.decrementAndGet();
        }
    }

    /** The first dirty block in {@code [from, to)}, or -1. */
    long firstDirty(long from, long to) {
        return bits.nextSetBit(from, to);
    }

    BitSet snapshot(long n) {
        return bits.snapshot(n);
    }
}
