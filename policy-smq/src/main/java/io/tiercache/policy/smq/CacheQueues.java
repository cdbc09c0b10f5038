package io.tiercache.policy.smq;

import static io.tiercache.policy.smq.EntrySpace.NULL;

/**
 * The cached blocks: one entry per cblock (entry index = cblock), in a clean and a dirty 64-level
 * queue and a hash table by origin block. Each queue carries two sets of sentinels, one per level;
 * when a period ends the older set moves to the back of every level, so the entries in front of a
 * level's first sentinel are those not requeued for at least a whole period. The writeback period
 * is 10 s, the demote period 60 s. Every cache period (60 s) the hit bits are cleared — an entry
 * moves up at most once per period — and the queues are rebalanced.
 *
 * <p>An entry with pending work is out of its queue (but still in the table if mapped).
 */
final class CacheQueues {
    static final int LEVELS = MultiQueue.LEVELS;
    /** Entries used by the sentinels, before the hotspot and cache entries. */
    static final int SENTINEL_ENTRIES = 4 * LEVELS;

    private static final int WRITEBACK_SENTINELS = 0;
    private static final int DEMOTE_SENTINELS = 2 * LEVELS;
    private static final long WRITEBACK_PERIOD_MS = 10_000;
    private static final long DEMOTE_PERIOD_MS = 60_000;
    private static final long CACHE_PERIOD_MS = 60_000;

    final EntryAllocator alloc;
    final MultiQueue clean;
    final MultiQueue dirty;
    final HitStats stats = new HitStats();
    private final EntrySpace es;
    private final EntryHash table;
    private final HitBits hitBits;
    private boolean currentWritebackSentinels;
    private boolean currentDemoteSentinels;
    private long nextWritebackPeriod;
    private long nextDemotePeriod;
    private long nextCachePeriod;

    CacheQueues(EntrySpace es, int begin, int cacheSize, long now) {
        this.es = es;
        this.alloc = new EntryAllocator(es, begin, begin + cacheSize);
        this.clean = new MultiQueue(es, 0, 0);
        this.dirty = new MultiQueue(es, 0, 0);
        this.table = new EntryHash(es, cacheSize);
        this.hitBits = new HitBits(cacheSize);
        for (int e = 0; e < SENTINEL_ENTRIES; e++) {
            es.flags[e] = EntrySpace.SENTINEL;
        }
        initSentinels(now);
        nextCachePeriod = now;
    }

    // ---- sentinels ------------------------------------------------------------------------------

    private static int sentinel(int base, int level, boolean which) {
        return base + (which ? level : LEVELS + level);
    }

    private int writebackSentinel(int level, boolean current) {
        return sentinel(WRITEBACK_SENTINELS, level, current == currentWritebackSentinels);
    }

    private int demoteSentinel(int level) {
        return sentinel(DEMOTE_SENTINELS, level, currentDemoteSentinels);
    }

    /** Both sets into every level of both queues, the second behind the first. */
    private void initSentinels(long now) {
        nextWritebackPeriod = now + WRITEBACK_PERIOD_MS;
        nextDemotePeriod = now + DEMOTE_PERIOD_MS;
        for (boolean which : new boolean[] {false, true}) {
            currentWritebackSentinels = which;
            currentDemoteSentinels = which;
            for (int level = 0; level < LEVELS; level++) {
                int s = writebackSentinel(level, true);
                es.level[s] = (byte) level;
                dirty.push(s);
                s = demoteSentinel(level);
                es.level[s] = (byte) level;
                clean.push(s);
            }
        }
    }

    /** At the end of a period the other set of sentinels becomes current and moves to the back. */
    void updateSentinels(long now) {
        if (now > nextWritebackPeriod) {
            nextWritebackPeriod = now + WRITEBACK_PERIOD_MS;
            currentWritebackSentinels = !currentWritebackSentinels;
            for (int level = 0; level < LEVELS; level++) {
                int s = writebackSentinel(level, true);
                dirty.remove(s);
                dirty.push(s);
            }
        }
        if (now > nextDemotePeriod) {
            nextDemotePeriod = now + DEMOTE_PERIOD_MS;
            currentDemoteSentinels = !currentDemoteSentinels;
            for (int level = 0; level < LEVELS; level++) {
                int s = demoteSentinel(level);
                clean.remove(s);
                clean.push(s);
            }
        }
    }

    /** Once a cache period: hits count again, rebalance, start the statistics afresh. */
    void endPeriod(long now) {
        if (now <= nextCachePeriod) {
            return;
        }
        hitBits.clearAll();
        dirty.redistribute();
        clean.redistribute();
        stats.reset();
        nextCachePeriod = now + CACHE_PERIOD_MS;
    }

    // ---- entries --------------------------------------------------------------------------------

    int cblock(int e) {
        return alloc.index(e);
    }

    int entry(long cblock) {
        return alloc.entry((int) cblock);
    }

    /** The mapped entry of {@code oblock}, or {@code NULL}. */
    int find(long oblock) {
        return table.lookup(oblock);
    }

    MultiQueue queueOf(int e) {
        return es.is(e, EntrySpace.DIRTY) ? dirty : clean;
    }

    /** A cache hit: the entry moves up one level, at most once per cache period. */
    void hit(int e) {
        stats.levelAccessed(es.level(e));
        if (es.is(e, EntrySpace.PENDING) || hitBits.testAndSet(cblock(e))) {
            return;
        }
        if (!es.is(e, EntrySpace.DIRTY)) {
            clean.requeue(e, 1, NULL, NULL);
        } else {
            // Swapped-down entries go in front of the sentinel matching their age.
            int level = es.level(e);
            dirty.requeue(e, 1, writebackSentinel(level, false), writebackSentinel(level, true));
        }
    }

    /** Maps {@code e} under its oblock; queued at the back of its level, or {@code front}. */
    void map(int e, boolean front) {
        table.insert(e);
        if (!es.is(e, EntrySpace.PENDING)) {
            if (front) {
                queueOf(e).pushFront(e);
            } else {
                queueOf(e).push(e);
            }
        }
    }

    void unmap(int e) {
        table.remove(e);
    }

    /** Moves an entry between the clean and dirty queues (only notes it while work is pending). */
    void setDirty(int e, boolean on) {
        if (es.is(e, EntrySpace.PENDING)) {
            es.set(e, EntrySpace.DIRTY, on);
            return;
        }
        queueOf(e).remove(e);
        es.set(e, EntrySpace.DIRTY, on);
        queueOf(e).push(e);
    }

    long bytes() {
        return table.bytes() + hitBits.bytes();
    }
}
