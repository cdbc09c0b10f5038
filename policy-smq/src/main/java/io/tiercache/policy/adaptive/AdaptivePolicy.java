package io.tiercache.policy.adaptive;

import static io.tiercache.policy.adaptive.LinkedLists.FREE;
import static io.tiercache.policy.adaptive.LinkedLists.NONE;

import io.tiercache.spi.policy.CachePolicy;
import io.tiercache.spi.policy.Direction;
import io.tiercache.spi.policy.Lookup;
import io.tiercache.spi.policy.PolicyWork;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The {@code adaptive} policy (1.3.0): selective admission with bypass over a segmented LRU.
 *
 * <p>Every access, hit or miss, is counted by {@link Popularity}. A missed block is copied into
 * the cache only if {@link Admission} finds enough evidence that it will be used: its own recent
 * uses beating the victim's, or, for a block without a record, the reuses in its extent (if that
 * extent is no quieter than the victim's). Otherwise
 * the origin serves it and nothing is copied, so one-off reads and scans cost no copy, a frequently
 * used block displaces a rarely used one, and ties do not churn. The victim is the colder of the
 * oldest blocks of the two segments of a {@link SegmentedLru}, where a block idle for longer than
 * its count predicts counts as cold. {@link AdmissionFeedback} watches
 * whether promotions get hit before they are demoted and raises or lowers the evidence each kind of
 * admission needs, aiming at a useful share that follows the cache's {@link HitRate}.
 *
 * <p>The copy work (promotions, replacements as a demotion followed by a promotion, writebacks when
 * idle) is queued and completed by {@link Migrations}.
 *
 * <p>Memory is allocated at creation only: origin block 8 bytes, flags 2, list links 8, index 5 to 6,
 * counts 8, extent stamps a quarter and work ring at most half a byte per cache block; 31.3 bytes at
 * a million blocks, at most 32.8 from a thousand up.
 * Nothing is allocated per lookup; one {@link PolicyWork} per migration. Time plays no part: aging
 * follows the number of accesses, so {@link #tick} does nothing. Thread-safe through one short lock.
 */
public final class AdaptivePolicy implements CachePolicy {
    /** The policy argument: the least share of promotions, in percent, that should turn out useful. */
    static final String USEFUL_PERCENT = "useful_percent";
    /** Cblocks are {@code int}s. */
    public static final long MAX_CACHE_BLOCKS = Integer.MAX_VALUE - 8;

    private final int cacheBlocks;
    private final BlockTable blocks;
    private final LinkedLists lists;
    private final OriginIndex index;
    private final SegmentedLru segments;
    private final Popularity popularity;
    private final ExtentActivity extents;
    private final AdmissionFeedback feedback = new AdmissionFeedback();
    private final HitRate hitRate = new HitRate();
    private final Migrations migrations;
    private long periodsSeen;

    AdaptivePolicy(int cacheBlocks) {
        this.cacheBlocks = cacheBlocks;
        this.blocks = new BlockTable(cacheBlocks);
        this.lists = new LinkedLists(cacheBlocks);
        this.index = new OriginIndex(blocks);
        this.segments = new SegmentedLru(blocks, lists);
        this.popularity = new Popularity(cacheBlocks);
        this.extents = new ExtentActivity(cacheBlocks);
        this.migrations = new Migrations(cacheBlocks, blocks, lists, index, segments, feedback);
        for (int c = 0; c < cacheBlocks; c++) {
            lists.addTail(FREE, c);
        }
    }

    // ---- lookups --------------------------------------------------------------------------------

    @Override
    public synchronized long lookup(long oblock, Direction direction, boolean fastCopy) {
        return access(oblock, false);
    }

    /** Like {@link #lookup}; an admitted miss with a free cache block is handed back for immediate promotion. */
    @Override
    public synchronized long lookupWithWork(long oblock, Direction direction, boolean fastCopy) {
        return access(oblock, true);
    }

    private long access(long oblock, boolean immediate) {
        if (popularity.record(oblock)) {
            extents.reused(oblock, segments.now());
        }
        segments.tick();
        if (popularity.periods() != periodsSeen) {
            periodsSeen = popularity.periods();
            feedback.periodEnded(hitRate.endPeriod());
        }
        int c = index.find(oblock);
        if (c != NONE && blocks.state(c) != BlockTable.RESERVED) { // a reserved block's copy is still in flight
            hitRate.access(true);
            if (blocks.state(c) != BlockTable.DEMOTING) {
                segments.touch(c);
            }
            feedback.resolve(blocks, c, true);
            return Lookup.hit(c);
        }
        hitRate.access(false);
        if (c != NONE || !migrations.allowed()) {
            return Lookup.MISS;
        }
        int uses = popularity.uses(oblock);
        int extentReuses = popularity.extentReuses(oblock);
        if (!lists.isEmpty(FREE)) {
            int kind = Admission.intoFreeBlock(uses, extentReuses, feedback);
            if (kind == Admission.REJECT || (!immediate && migrations.isFull())) {
                return Lookup.MISS;
            }
            int f = migrations.promoteIntoFree(oblock, kind == Admission.BY_EXTENT, immediate);
            return immediate ? Lookup.promoteNow(f) : Lookup.MISS_WORK_QUEUED;
        }
        int victim = segments.victim(popularity);
        if (victim == NONE || migrations.isFull()) {
            return Lookup.MISS;
        }
        // the victim's extent matters only to extent evidence, which needs MIN_USES reuses to count
        int victimExtent = extentReuses >= Admission.MIN_USES ? currentExtentReuses(blocks.oblock[victim]) : 0;
        int kind = Admission.overVictim(uses, extentReuses, segments.currentUses(victim, popularity), victimExtent,
                feedback);
        if (kind == Admission.REJECT) {
            return Lookup.MISS;
        }
        migrations.replace(victim, oblock, kind == Admission.BY_EXTENT);
        return Lookup.MISS_WORK_QUEUED;
    }

    /** The reuses in {@code oblock}'s extent, or 0 if the extent has gone quiet. */
    private int currentExtentReuses(long oblock) {
        return segments.current(popularity.extentReuses(oblock), extents.lastReuse(oblock));
    }

    // ---- background work ------------------------------------------------------------------------

    /** Queued promotions and demotions first; when idle, writebacks of dirty blocks. */
    @Override
    public synchronized Optional<PolicyWork> backgroundWork(boolean idle) {
        return migrations.next(idle);
    }

    @Override
    public synchronized void completeBackgroundWork(PolicyWork done, boolean success) {
        migrations.complete(cblock(done.cblock().value()), done, success);
    }

    // ---- dirty state, mappings, hints -----------------------------------------------------------

    private int cblock(long cblock) {
        if (cblock < 0 || cblock >= cacheBlocks) {
            throw new IllegalArgumentException("cblock " + cblock + " outside 0.." + (cacheBlocks - 1));
        }
        return (int) cblock;
    }

    @Override
    public synchronized void setDirty(long cblock) {
        changeDirty(cblock, true);
    }

    @Override
    public synchronized void clearDirty(long cblock) {
        changeDirty(cblock, false);
    }

    private void changeDirty(long cblock, boolean on) {
        int c = cblock(cblock);
        if (!blocks.holds(c)) {
            throw new IllegalStateException("cblock " + c + " is not mapped");
        }
        blocks.setDirty(c, on);
    }

    /** A loaded block rejoins its old segment (if the hint is trusted) with its use count restored. */
    @Override
    public synchronized void loadMapping(long oblock, long cblock, boolean isDirty, int hint, boolean hintValid) {
        int c = cblock(cblock);
        if (blocks.state(c) != BlockTable.FREE) {
            throw new IllegalStateException("cblock " + c + " is already in use");
        }
        if (index.find(oblock) != NONE) {
            throw new IllegalStateException("origin block " + oblock + " is already mapped");
        }
        lists.remove(FREE, c);
        blocks.oblock[c] = oblock;
        blocks.clear(c);
        blocks.setState(c, BlockTable.MAPPED);
        index.add(c);
        blocks.setDirty(c, isDirty);
        segments.add(c, hintValid && BlockHint.isProtected(hint));
        if (hintValid) {
            popularity.restore(oblock, BlockHint.uses(hint));
        }
    }

    @Override
    public synchronized boolean invalidateMapping(long cblock) {
        int c = cblock(cblock);
        int state = blocks.state(c);
        if (state == BlockTable.FREE) {
            return false;
        }
        if (state != BlockTable.MAPPED) {
            throw new IllegalStateException("cblock " + c + " has work in flight");
        }
        segments.remove(c);
        index.remove(c);
        migrations.release(c);
        return true;
    }

    @Override
    public synchronized int hint(long cblock) {
        int c = cblock(cblock);
        if (!blocks.holds(c)) {
            return 0;
        }
        return BlockHint.encode(popularity.uses(blocks.oblock[c]), segments.isProtected(c));
    }

    @Override
    public synchronized long residency() {
        return cacheBlocks - lists.size(FREE);
    }

    /** Nothing here is measured in time. */
    @Override
    public void tick(boolean canBlock) {}

    /**
     * One argument: {@code useful_percent} (1–99, default 50), the least share of promotions that
     * should get hit before they are demoted (a higher hit ratio of the cache raises the aim further);
     * higher copies less and follows a moving hot set more slowly.
     */
    @Override
    public synchronized boolean setConfigValue(String key, String value) {
        if (!key.toLowerCase(Locale.ROOT).equals(USEFUL_PERCENT)) {
            return false;
        }
        try {
            feedback.setUsefulPercent(Integer.parseInt(value));
            return true;
        } catch (IllegalArgumentException e) { // also NumberFormatException
            return false;
        }
    }

    @Override
    public synchronized List<String> configValues() {
        return List.of(USEFUL_PERCENT, Integer.toString(feedback.usefulPercent()));
    }

    /** Switching migrations off withdraws the promotions and demotions not handed out yet. */
    @Override
    public synchronized void allowMigrations(boolean allow) {
        migrations.allow(allow);
    }

    @Override
    public long memoryBytes() {
        return blocks.bytes() + lists.bytes() + index.bytes() + popularity.bytes() + extents.bytes()
                + migrations.bytes();
    }

    /** The current margins, for diagnostics. */
    @Override
    public synchronized String toString() {
        return "adaptive[" + cacheBlocks + " blocks, " + residency() + " resident, " + blocks.dirtyCount()
                + " dirty, useful target " + feedback.targetPercent() + " %, uses margin " + feedback.usesMargin()
                + ", extent margin " + feedback.extentMargin() + "]";
    }
}
