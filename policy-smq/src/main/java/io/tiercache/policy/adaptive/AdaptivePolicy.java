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
 * The {@code adaptive} policy (1.0.0): selective admission with bypass over a segmented LRU.
 *
 * <p>Every access, hit or miss, is counted by {@link Popularity}. A missed block is copied into
 * the cache only if {@link Admission} finds enough evidence that it will be used: its own recent
 * uses beating the victim's, or, for a block without a record, the reuses in its extent. Otherwise
 * the origin serves it and nothing is copied, so one-off reads and scans cost no copy, a frequently
 * used block displaces a rarely used one, and ties do not churn. The victim is the oldest block of the
 * probation segment of a {@link SegmentedLru}. {@link AdmissionFeedback} watches whether promotions
 * get hit before they are demoted and raises or lowers the evidence each kind of admission needs.
 *
 * <p>A replacement is a demotion followed by a promotion into the freed block: the demotion is
 * queued with the candidate's origin block stashed in the victim's list links; when it completes,
 * the promotion is queued (unless the block got in meanwhile). Work waits in a {@link WorkRing}.
 * Dirty blocks are written back when the core says the device is idle; a dirty victim is written
 * back by its demotion.
 *
 * <p>Memory is allocated at creation only: origin block 8 bytes, flags 2, list links 8, index 5 to 6,
 * counts 8 and work ring at most half a byte per cache block; 31.0 bytes at a million blocks, at most
 * 32.5 from a thousand up.
 * Nothing is allocated per lookup; one {@link PolicyWork} per migration. Time plays no part: aging
 * follows the number of accesses, so {@link #tick} does nothing. Thread-safe through one short lock.
 */
public final class AdaptivePolicy implements CachePolicy {
    /** The policy argument: the share of promotions, in percent, that should turn out useful. */
    static final String USEFUL_PERCENT = "useful_percent";
    /** Cblocks are {@code int}s. */
    public static final long MAX_CACHE_BLOCKS = Integer.MAX_VALUE - 8;

    private final int cacheBlocks;
    private final BlockTable blocks;
    private final LinkedLists lists;
    private final OriginIndex index;
    private final SegmentedLru segments;
    private final Popularity popularity;
    private final AdmissionFeedback feedback = new AdmissionFeedback();
    private final WorkRing work;
    private boolean migrationsAllowed = true;
    private long periodsSeen;
    private int dirty;
    private int cleaningHand;

    AdaptivePolicy(int cacheBlocks) {
        this.cacheBlocks = cacheBlocks;
        this.blocks = new BlockTable(cacheBlocks);
        this.lists = new LinkedLists(cacheBlocks);
        this.index = new OriginIndex(blocks);
        this.segments = new SegmentedLru(blocks, lists);
        this.popularity = new Popularity(cacheBlocks);
        this.work = new WorkRing(cacheBlocks);
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
        popularity.record(oblock);
        if (popularity.periods() != periodsSeen) {
            periodsSeen = popularity.periods();
            feedback.periodEnded();
        }
        int c = index.find(oblock);
        if (c != NONE) {
            int state = blocks.state(c);
            if (state == BlockTable.RESERVED) {
                return Lookup.MISS; // its copy is still in flight
            }
            if (state != BlockTable.DEMOTING) {
                segments.touch(c);
            }
            resolve(c, true);
            return Lookup.hit(c);
        }
        if (!migrationsAllowed) {
            return Lookup.MISS;
        }
        int uses = popularity.uses(oblock);
        int extentReuses = popularity.extentReuses(oblock);
        if (!lists.isEmpty(FREE)) {
            int kind = Admission.intoFreeBlock(uses, extentReuses, feedback);
            if (kind == Admission.REJECT || (!immediate && work.isFull())) {
                return Lookup.MISS;
            }
            int f = lists.pollHead(FREE);
            reserve(f, oblock, kind == Admission.BY_EXTENT);
            if (immediate) {
                return Lookup.promoteNow(f);
            }
            queue(f);
            return Lookup.MISS_WORK_QUEUED;
        }
        int victim = segments.victim();
        if (victim == NONE || work.isFull()) {
            return Lookup.MISS;
        }
        int kind = Admission.overVictim(uses, extentReuses, popularity.uses(blocks.oblock[victim]), feedback);
        if (kind == Admission.REJECT) {
            return Lookup.MISS;
        }
        resolve(victim, false);
        segments.remove(victim);
        blocks.setState(victim, BlockTable.DEMOTING);
        blocks.set(victim, BlockTable.FOLLOWED, true);
        blocks.set(victim, BlockTable.BY_EXTENT, kind == Admission.BY_EXTENT);
        lists.stash(victim, oblock);
        queue(victim);
        return Lookup.MISS_WORK_QUEUED;
    }

    /** The first hit on a promoted block, or its demotion without one: tells the feedback, once. */
    private void resolve(int c, boolean hit) {
        if (blocks.is(c, BlockTable.UNUSED)) {
            feedback.outcome(blocks.is(c, BlockTable.BY_EXTENT), hit);
            blocks.set(c, BlockTable.UNUSED, false);
        }
        blocks.set(c, BlockTable.BY_EXTENT, false);
    }

    /** Claims free cblock {@code c} for a promotion of {@code oblock}. */
    private void reserve(int c, long oblock, boolean byExtent) {
        if (byExtent) {
            feedback.admittedByExtent();
        }
        blocks.oblock[c] = oblock;
        blocks.clear(c);
        blocks.setState(c, BlockTable.RESERVED);
        blocks.set(c, BlockTable.BY_EXTENT, byExtent);
        index.add(c);
    }

    private void queue(int c) {
        blocks.set(c, BlockTable.QUEUED, true);
        work.add(c);
    }

    private void release(int c) {
        if (blocks.is(c, BlockTable.DIRTY)) {
            dirty--;
        }
        blocks.clear(c);
        lists.addTail(FREE, c);
    }

    // ---- background work ------------------------------------------------------------------------

    /** Queued promotions and demotions first; when idle, writebacks of dirty blocks. */
    @Override
    public synchronized Optional<PolicyWork> backgroundWork(boolean idle) {
        int c = work.poll();
        if (c != NONE) {
            blocks.set(c, BlockTable.QUEUED, false);
            return Optional.of(workAt(c));
        }
        if (idle && dirty > 0) {
            c = nextDirty();
            if (c != NONE) {
                blocks.setState(c, BlockTable.WRITING_BACK);
                return Optional.of(PolicyWork.writeback(blocks.oblock[c], c));
            }
        }
        return Optional.empty();
    }

    private PolicyWork workAt(int c) {
        long oblock = blocks.oblock[c];
        return switch (blocks.state(c)) {
            case BlockTable.RESERVED -> PolicyWork.promote(oblock, c);
            case BlockTable.DEMOTING -> PolicyWork.demote(oblock, c);
            default -> throw new IllegalStateException("cblock " + c + " has no queued work");
        };
    }

    /** The next dirty block without work in flight after the cleaning hand, which sweeps the cblocks in a circle. */
    private int nextDirty() {
        for (int i = 0; i < cacheBlocks; i++) {
            int c = cleaningHand;
            cleaningHand = cleaningHand + 1 == cacheBlocks ? 0 : cleaningHand + 1;
            if (blocks.state(c) == BlockTable.MAPPED && blocks.is(c, BlockTable.DIRTY)) {
                return c;
            }
        }
        return NONE;
    }

    @Override
    public synchronized void completeBackgroundWork(PolicyWork done, boolean success) {
        int c = cblock(done.cblock().value());
        int expected = switch (done.op()) {
            case PROMOTE -> BlockTable.RESERVED;
            case DEMOTE -> BlockTable.DEMOTING;
            case WRITEBACK -> BlockTable.WRITING_BACK;
        };
        if (blocks.state(c) != expected || blocks.is(c, BlockTable.QUEUED)
                || blocks.oblock[c] != done.oblock().value()) {
            throw new IllegalArgumentException("completing " + done + ", which was not handed out");
        }
        switch (done.op()) {
            case PROMOTE -> {
                if (success) {
                    blocks.setState(c, BlockTable.MAPPED);
                    blocks.set(c, BlockTable.UNUSED, true);
                    segments.add(c, false);
                } else {
                    index.remove(c);
                    release(c);
                }
            }
            case DEMOTE -> completeDemotion(c, success);
            case WRITEBACK -> blocks.setState(c, BlockTable.MAPPED);
        }
    }

    /** A completed demotion frees the block, or passes it on to the promotion it made room for. */
    private void completeDemotion(int c, boolean success) {
        boolean followed = blocks.is(c, BlockTable.FOLLOWED);
        boolean byExtent = blocks.is(c, BlockTable.BY_EXTENT);
        long next = followed ? lists.unstash(c) : 0;
        if (!success) {
            blocks.set(c, BlockTable.BY_EXTENT, false);
            blocks.setState(c, BlockTable.MAPPED);
            segments.add(c, false);
            return;
        }
        index.remove(c);
        if (followed && migrationsAllowed && index.find(next) == NONE && !work.isFull()) {
            if (blocks.is(c, BlockTable.DIRTY)) {
                dirty--;
            }
            reserve(c, next, byExtent);
            queue(c);
        } else {
            release(c);
        }
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
        if (blocks.is(c, BlockTable.DIRTY) != on) {
            blocks.set(c, BlockTable.DIRTY, on);
            dirty += on ? 1 : -1;
        }
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
        if (isDirty) {
            blocks.set(c, BlockTable.DIRTY, true);
            dirty++;
        }
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
        release(c);
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
     * One argument: {@code useful_percent} (1–99, default 50), the share of promotions that should
     * get hit before they are demoted; higher copies less and follows a moving hot set more slowly.
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
        migrationsAllowed = allow;
        if (!allow) {
            work.removeIf(this::withdraw);
        }
    }

    private boolean withdraw(int c) {
        switch (blocks.state(c)) {
            case BlockTable.RESERVED -> {
                index.remove(c);
                release(c);
            }
            case BlockTable.DEMOTING -> {
                if (blocks.is(c, BlockTable.FOLLOWED)) {
                    lists.unstash(c);
                }
                blocks.set(c, BlockTable.BY_EXTENT, false);
                blocks.setState(c, BlockTable.MAPPED);
                segments.add(c, false);
            }
            default -> throw new IllegalStateException("cblock " + c + " has no queued work");
        }
        return true;
    }

    @Override
    public long memoryBytes() {
        return blocks.bytes() + lists.bytes() + index.bytes() + popularity.bytes() + work.bytes();
    }

    /** The current margins, for diagnostics. */
    @Override
    public synchronized String toString() {
        return "adaptive[" + cacheBlocks + " blocks, " + residency() + " resident, " + dirty + " dirty, uses margin "
                + feedback.usesMargin() + ", extent margin " + feedback.extentMargin() + "]";
    }
}
