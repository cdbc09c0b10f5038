package io.tiercache.policy.smq;

import static io.tiercache.policy.smq.EntrySpace.NULL;

/**
 * Where smq learns what is worth promoting: a 64-level queue of hotspot entries, each standing for
 * a hotspot block (several adjacent cache blocks), updated on cache misses only. An entry climbs
 * {@link #levelJump} levels on its first miss per tick; a new block recycles the coldest entry. The
 * top 8 levels are kept small (at most as many entries as the cache could hold), so reaching them
 * means a block is hotter than most of what the cache has room for.
 */
final class HotspotQueue {
    private static final long PERIOD_MS = 1_000;

    private final EntrySpace es;
    private final EntryAllocator alloc;
    private final MultiQueue queue;
    private final EntryHash table;
    private final HitBits hitBits;
    private final HitStats stats = new HitStats();
    private final int cacheBlocksPerHotspotBlock;
    private int levelJump = 1;
    private long nextPeriod;

    HotspotQueue(EntrySpace es, int begin, HotspotGeometry g, int cacheSize, long now) {
        this.es = es;
        this.alloc = new EntryAllocator(es, begin, begin + g.entries());
        this.cacheBlocksPerHotspotBlock = g.cacheBlocksPerHotspotBlock();
        int inTop = Math.min(g.entries() / MultiQueue.LEVELS, cacheSize / cacheBlocksPerHotspotBlock);
        this.queue = new MultiQueue(es, 8, inTop);
        this.table = new EntryHash(es, g.entries());
        this.hitBits = new HitBits(g.entries());
        this.nextPeriod = now;
    }

    /** Records a cache miss on {@code oblock}; returns the level of its hotspot entry afterwards. */
    int miss(long oblock) {
        long hblock = oblock / cacheBlocksPerHotspotBlock;
        int e = table.lookup(hblock);
        if (e != NULL) {
            stats.levelAccessed(es.level(e));
            boolean hitThisTick = hitBits.testAndSet(alloc.index(e));
            queue.requeue(e, hitThisTick ? 0 : levelJump, NULL, NULL);
            return es.level(e);
        }
        stats.miss();
        e = alloc.alloc();
        if (e == NULL) {
            e = queue.pop();
            table.remove(e);
            hitBits.clear(alloc.index(e));
        }
        es.oblock[e] = hblock;
        queue.push(e);
        table.insert(e);
        return es.level(e);
    }

    /** How often misses found their block in the top quarter since the period began. */
    HitStats.Confidence confidence() {
        return stats.assess();
    }

    /** Every tick: hits count again. */
    void endTick() {
        hitBits.clearAll();
    }

    /** Once a period: adapt the climbing speed to the confidence, rebalance, start counting anew. */
    void endPeriod(long now) {
        if (now <= nextPeriod) {
            return;
        }
        levelJump = switch (stats.assess()) {
            case POOR -> 4;
            case FAIR -> 2;
            case WELL -> 1;
        };
        queue.redistribute();
        stats.reset();
        nextPeriod = now + PERIOD_MS;
    }

    int levelJump() {
        return levelJump;
    }

    int entries() {
        return alloc.capacity();
    }

    long bytes() {
        return table.bytes() + hitBits.bytes();
    }
}
