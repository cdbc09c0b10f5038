package io.tiercache.policy.smq;

import static io.tiercache.policy.smq.EntrySpace.NULL;

import io.tiercache.spi.policy.CachePolicy;
import io.tiercache.spi.policy.Direction;
import io.tiercache.spi.policy.Lookup;
import io.tiercache.spi.policy.PolicyGeometry;
import io.tiercache.spi.policy.PolicyWork;
import java.time.InstantSource;
import java.util.List;
import java.util.Optional;

/**
 * The stochastic multiqueue policy (smq 2.0.0), behaving as the kernel's so that a cache moved
 * between the kernel and tiercache keeps its warmth (hints are queue levels) and its habits.
 *
 * <p>Misses are tracked per hotspot block in the {@link HotspotQueue}; a block is promoted only when
 * its hotspot entry has climbed to the promote level, so one-off reads cost no copy. Cached blocks
 * live in the {@link CacheQueues}: demotions take old clean blocks from the lower half, writebacks
 * old dirty blocks. Every tick recomputes the promote level from how often misses land in the top
 * quarter of the hotspot queue. All memory is allocated at creation (about 29 bytes per cache
 * block at a million blocks), and nothing is allocated per lookup.
 *
 * <p>The {@link Variant#CLEANER} variant never promotes or demotes and writes back every dirty block,
 * even when the device is busy. Thread-safe: one lock, held briefly, as the kernel's spinlock.
 */
public final class SmqPolicy implements CachePolicy {
    /** The personalities registered under different names. */
    public enum Variant {
        /** {@code smq} and {@code default}: no tunables. */
        SMQ,
        /** {@code mq}: accepts the old mq tunables and ignores them. */
        MQ,
        /** {@code cleaner}: migrations never allowed, writes back even when busy. */
        CLEANER
    }

    private static final int LEVELS = MultiQueue.LEVELS;
    private static final int FREE_TARGET_PERCENT = 25;
    /** Promote threshold by cache hit ratio in sixteenths (overridden in effect, see below). */
    private static final int[] PROMOTE_TABLE = {1, 1, 1, 2, 4, 6, 7, 8, 7, 6, 4, 4, 3, 3, 2, 2, 1};

    private final Variant variant;
    private final InstantSource clock;
    private final int cacheSize;
    private final EntrySpace es;
    private final HotspotQueue hotspot;
    private final CacheQueues cache;
    private final BackgroundTracker tracker = new BackgroundTracker();
    private final SmqConfig config;
    private int readPromoteLevel = LEVELS;
    private int writePromoteLevel = LEVELS;
    private boolean migrationsAllowed;

    public SmqPolicy(PolicyGeometry geometry, InstantSource clock, Variant variant) {
        if (geometry.cacheBlocks() > EntrySpace.MAX_ENTRIES) {
            throw new IllegalArgumentException("smq supports at most " + EntrySpace.MAX_ENTRIES + " cache blocks");
        }
        this.variant = variant;
        this.clock = clock;
        this.config = new SmqConfig(variant);
        this.cacheSize = (int) geometry.cacheBlocks();
        HotspotGeometry hg = HotspotGeometry.of(geometry);
        int firstHotspot = CacheQueues.SENTINEL_ENTRIES;
        this.es = new EntrySpace(Math.addExact(firstHotspot + hg.entries(), cacheSize));
        long now = clock.millis();
        this.cache = new CacheQueues(es, firstHotspot + hg.entries(), cacheSize, now);
        this.hotspot = new HotspotQueue(es, firstHotspot, hg, cacheSize, now);
        this.migrationsAllowed = variant != Variant.CLEANER;
    }

    // ---- lookups --------------------------------------------------------------------------------

    @Override
    public synchronized long lookup(long oblock, Direction direction, boolean fastCopy) {
        return lookup(oblock, direction, fastCopy, false);
    }

    @Override
    public synchronized long lookupWithWork(long oblock, Direction direction, boolean fastCopy) {
        return lookup(oblock, direction, fastCopy, true);
    }

    private long lookup(long oblock, Direction direction, boolean fastCopy, boolean immediate) {
        int e = cache.find(oblock);
        if (e != NULL) {
            cache.hit(e);
            return Lookup.hit(cache.cblock(e));
        }
        cache.stats.miss();
        int hotspotLevel = hotspot.miss(oblock);
        if (!shouldPromote(hotspotLevel, direction, fastCopy)) {
            return Lookup.MISS;
        }
        int reserved = queuePromotion(oblock, immediate);
        return reserved != NULL ? Lookup.promoteNow(reserved) : Lookup.MISS_WORK_QUEUED;
    }

    /** An overwrite is promoted while there is room; otherwise the hotspot level decides. */
    private boolean shouldPromote(int hotspotLevel, Direction direction, boolean fastCopy) {
        if (direction == Direction.WRITE) {
            if (!cache.alloc.isEmpty() && fastCopy) {
                return true;
            }
            return hotspotLevel >= writePromoteLevel;
        }
        return hotspotLevel >= readPromoteLevel;
    }

    // ---- queueing work --------------------------------------------------------------------------

    /**
     * Reserves a cblock and queues its promotion; on a full cache, queues a demotion instead if
     * fewer than a quarter of the blocks are free or being freed.
     *
     * @return the reserved cblock if the promotion is handed to the caller, else {@code NULL}
     */
    private int queuePromotion(long oblock, boolean immediate) {
        if (!migrationsAllowed) {
            return NULL;
        }
        if (cache.alloc.isEmpty()) {
            if (!freeTargetMet()) {
                queueDemotion();
            }
            return NULL;
        }
        if (tracker.hasWork(oblock)) {
            return NULL;
        }
        int e = cache.alloc.alloc();
        es.set(e, EntrySpace.PENDING, true);
        int cblock = cache.cblock(e);
        if (!tracker.queue(PolicyWork.promote(oblock, cblock), immediate)) {
            cache.alloc.free(e);
            return NULL;
        }
        return immediate ? cblock : NULL;
    }

    private boolean freeTargetMet() {
        long free = cacheSize - cache.alloc.allocated();
        return free + tracker.pendingDemotions() >= (long) cacheSize * FREE_TARGET_PERCENT / 100;
    }

    /** Busy, smq does not clean; idle, or as the cleaner, it wants no dirty block left. */
    private boolean cleanTargetMet(boolean idle) {
        if (idle || variant == Variant.CLEANER) {
            return cache.dirty.size() == 0;
        }
        return true;
    }

    /** Demotes the oldest clean block of the lower half; with none, perhaps writes one back. */
    private void queueDemotion() {
        int e = cache.clean.peek(LEVELS / 2, true);
        if (e == NULL) {
            if (!cleanTargetMet(true)) {
                queueWriteback(false);
            }
            return;
        }
        es.set(e, EntrySpace.PENDING, true);
        cache.clean.remove(e);
        if (!tracker.queue(PolicyWork.demote(es.oblock[e], cache.cblock(e)), false)) {
            es.set(e, EntrySpace.PENDING, false);
            cache.clean.pushFront(e);
        }
    }

    /** Writes back the oldest dirty block of the lowest level; from behind sentinels only when idle. */
    private void queueWriteback(boolean idle) {
        int e = cache.dirty.peek(LEVELS, idle);
        if (e == NULL) {
            return;
        }
        es.set(e, EntrySpace.PENDING, true);
        cache.dirty.remove(e);
        if (!tracker.queue(PolicyWork.writeback(es.oblock[e], cache.cblock(e)), false)) {
            es.set(e, EntrySpace.PENDING, false);
            cache.dirty.pushFront(e);
        }
    }

    @Override
    public synchronized Optional<PolicyWork> backgroundWork(boolean idle) {
        PolicyWork work = tracker.issue();
        if (work == null && !cleanTargetMet(idle)) {
            queueWriteback(idle);
            work = tracker.issue();
        }
        return Optional.ofNullable(work);
    }

    @Override
    public synchronized void completeBackgroundWork(PolicyWork work, boolean success) {
        int e = entryOf(work.cblock().value());
        tracker.complete(work);
        switch (work.op()) {
            case PROMOTE -> {
                es.set(e, EntrySpace.PENDING, false);
                if (success) {
                    es.oblock[e] = work.oblock().value();
                    es.level[e] = LEVELS - 1;
                    cache.map(e, false);
                } else {
                    cache.alloc.free(e);
                }
            }
            case DEMOTE -> {
                if (success) {
                    cache.unmap(e);
                    cache.alloc.free(e);
                } else {
                    es.set(e, EntrySpace.PENDING, false);
                    cache.queueOf(e).push(e);
                }
            }
            case WRITEBACK -> {
                es.set(e, EntrySpace.PENDING, false);
                cache.queueOf(e).push(e);
            }
        }
    }

    // ---- mappings -------------------------------------------------------------------------------

    private int entryOf(long cblock) {
        if (cblock < 0 || cblock >= cacheSize) {
            throw new IllegalArgumentException("cblock " + cblock + " outside 0.." + (cacheSize - 1));
        }
        return cache.entry(cblock);
    }

    private int allocatedEntry(long cblock) {
        int e = entryOf(cblock);
        if (!es.is(e, EntrySpace.ALLOCATED)) {
            throw new IllegalStateException("cblock " + cblock + " is not mapped");
        }
        return e;
    }

    @Override
    public synchronized void setDirty(long cblock) {
        cache.setDirty(allocatedEntry(cblock), true);
    }

    @Override
    public synchronized void clearDirty(long cblock) {
        cache.setDirty(allocatedEntry(cblock), false);
    }

    /**
     * Claims that very cblock. Without a valid hint the level is a hash of the cblock, spreading
     * the loaded blocks over the levels. Loaded entries go in front of both sentinels: candidates for
     * demotion and writeback straight away.
     */
    @Override
    public synchronized void loadMapping(long oblock, long cblock, boolean dirty, int hint, boolean hintValid) {
        entryOf(cblock);
        int e = cache.alloc.allocParticular((int) cblock);
        es.oblock[e] = oblock;
        es.set(e, EntrySpace.DIRTY, dirty);
        es.level[e] = (byte) (hintValid ? Math.min(Integer.toUnsignedLong(hint), LEVELS - 1) : randomLevel(cblock));
        cache.map(e, true);
    }

    /** A 9-bit multiplicative hash of the cblock, folded to a level, as the kernel derives it. */
    static int randomLevel(long cblock) {
        int h = (int) cblock * 0x61C88647;
        return (h >>> (32 - 9)) & (LEVELS - 1);
    }

    @Override
    public synchronized boolean invalidateMapping(long cblock) {
        int e = entryOf(cblock);
        if (!es.is(e, EntrySpace.ALLOCATED)) {
            return false;
        }
        if (es.is(e, EntrySpace.PENDING)) {
            withdrawWork(e, cblock);
        } else {
            cache.queueOf(e).remove(e);
            cache.unmap(e);
        }
        cache.alloc.free(e);
        return true;
    }

    /** The kernel leaves this case open; here queued work is withdrawn and issued work refused. */
    private void withdrawWork(int e, long cblock) {
        PolicyWork work = tracker.pendingAt(cblock);
        if (work == null || !tracker.withdraw(work)) {
            throw new IllegalStateException("cblock " + cblock + " has work in flight: " + work);
        }
        if (work.op() != PolicyWork.Op.PROMOTE) {
            cache.unmap(e);
        }
        es.set(e, EntrySpace.PENDING, false);
    }

    @Override
    public synchronized int hint(long cblock) {
        int e = entryOf(cblock);
        return es.is(e, EntrySpace.ALLOCATED) ? es.level(e) : 0;
    }

    @Override
    public synchronized long residency() {
        return cache.alloc.allocated();
    }

    // ---- time -----------------------------------------------------------------------------------

    @Override
    public synchronized void tick(boolean canBlock) {
        long now = clock.millis();
        cache.updateSentinels(now);
        hotspot.endTick();
        updatePromoteLevels();
        hotspot.endPeriod(now);
        cache.endPeriod(now);
    }

    /**
     * The promote level: the fewer free blocks and the less confident the hotspot queue, the
     * higher. The kernel clamps the starting threshold with {@code max(…, 64)}, so it is always 64
     * and only the confidence matters: POOR → level 48, FAIR → 32, WELL → 0 (every miss whose
     * hotspot is known may promote). Reproduced as is: caches moved from the kernel must behave the
     * same.
     */
    private void updatePromoteLevels() {
        int threshold = cache.alloc.isEmpty() ? PROMOTE_TABLE[cache.stats.sixteenths()] : LEVELS / 2;
        threshold = Math.max(threshold, LEVELS);
        threshold = switch (hotspot.confidence()) {
            case POOR -> threshold / 4;
            case FAIR -> threshold / 2;
            case WELL -> threshold;
        };
        readPromoteLevel = LEVELS - threshold;
        writePromoteLevel = LEVELS - threshold;
    }

    // ---- configuration --------------------------------------------------------------------------

    @Override
    public boolean setConfigValue(String key, String value) {
        return config.set(key, value);
    }

    @Override
    public List<String> configValues() {
        return config.values();
    }

    /** The cleaner stays without migrations whatever it is told. */
    @Override
    public synchronized void allowMigrations(boolean allow) {
        migrationsAllowed = allow && variant != Variant.CLEANER;
    }

    @Override
    public long memoryBytes() {
        return es.bytes() + cache.bytes() + hotspot.bytes();
    }

    /** For tests: the promote level reads use now. */
    synchronized int readPromoteLevel() {
        return readPromoteLevel;
    }

    /** For tests: the hotspot queue's climbing speed. */
    synchronized int hotspotLevelJump() {
        return hotspot.levelJump();
    }

    /** For tests: the number of hotspot entries. */
    int hotspotEntries() {
        return hotspot.entries();
    }
}
