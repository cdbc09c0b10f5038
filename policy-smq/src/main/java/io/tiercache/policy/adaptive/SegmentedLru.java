package io.tiercache.policy.adaptive;

import static io.tiercache.policy.adaptive.LinkedLists.NONE;
import static io.tiercache.policy.adaptive.LinkedLists.PROBATION;
import static io.tiercache.policy.adaptive.LinkedLists.PROTECTED;

/**
 * The order in which cached blocks are given up: a segmented LRU. A newly promoted block enters the
 * <em>probation</em> segment; a hit there moves it to the <em>protected</em> segment (at most 80 % of
 * the cache), whose least recently used block falls back to probation when it overflows. A block
 * copied in and never used again is thus the first to go, while a block used again since its
 * promotion survives a while without use.
 *
 * <p>The replacement victim is the <em>colder</em> of the two oldest blocks, probation's and
 * protected's, by their recent use counts (probation's on a tie). Recency alone protects a block
 * that was hot and has gone cold for as long as the protected segment takes to turn over; when the
 * hot set moves, those stale blocks would hold 80 % of the cache while each newcomer gets only a
 * probation slot's worth of time to prove itself. Asking the counts lets a stale protected block go
 * first, and costs one more sketch lookup per replacement.
 *
 * <p>A count can also outlive what it describes: it is a decaying sum over the last few sample
 * periods, so a block that was hot keeps a high count for periods after its last use. A block used
 * u times per sample period is expected back about every period / u accesses; one idle
 * {@link #STALE_AFTER} times as long is <em>stale</em> and its count is taken as 0. When the hot set
 * moves, the blocks it left go first; in a steady workload, a block that came in on a burst of uses
 * does not keep its slot on the strength of that burst. Each block's last use is stamped in seven
 * spare bits of its flags, in units of an eighth of the cache size in accesses (of the size the counts
 * are scaled to, for caches under 64 blocks), so it costs no memory; a stamp wraps after 16 C
 * accesses, by when the sketch has halved every count to 0 anyway.
 */
final class SegmentedLru {
    static final int PROTECTED_PERCENT = 80;
    /** Blocks with a writeback in flight stay in their segment but are skipped as victims. */
    private static final int VICTIM_SCAN = 16;

    /** Idle for this many times the interval its count predicts: stale. */
    static final int STALE_AFTER = 1;
    /** Time stamp units per cache size in accesses. */
    private static final int UNITS_PER_CACHE = 8;

    private final BlockTable blocks;
    private final LinkedLists lists;
    private final int protectedCapacity;
    private final int accessesPerUnit;
    /** Beyond this, {@code idle units × uses} means stale: the sample period in stamp units. */
    private final int staleProduct;
    private int untilNextUnit;
    private int now;

    SegmentedLru(BlockTable blocks, LinkedLists lists) {
        this.blocks = blocks;
        this.lists = lists;
        this.protectedCapacity = (int) ((long) blocks.size() * PROTECTED_PERCENT / 100);
        this.accessesPerUnit = Popularity.sizedFor(blocks.size()) / UNITS_PER_CACHE;
        this.staleProduct = STALE_AFTER * Popularity.PERIOD_PER_BLOCK * UNITS_PER_CACHE;
        this.untilNextUnit = accessesPerUnit;
    }

    /** One access went by. */
    void tick() {
        if (--untilNextUnit == 0) {
            untilNextUnit = accessesPerUnit;
            now = (now + 1) & (BlockTable.STAMPS - 1);
        }
    }

    /** The recent uses of cached block {@code c}, or 0 if it is stale. */
    int currentUses(int c, Popularity popularity) {
        return current(popularity.uses(blocks.oblock[c]), blocks.stamp(c));
    }

    /** A count of {@code uses} last added to at clock {@code stamp}: itself, or 0 if it is stale. */
    int current(int uses, int stamp) {
        int idle = (now - stamp) & (BlockTable.STAMPS - 1);
        return idle * Math.max(uses, 1) > staleProduct ? 0 : uses;
    }

    /** The clock, in units of an eighth of the cache size in accesses; wraps at {@link BlockTable#STAMPS}. */
    int now() {
        return now;
    }

    /** A freshly promoted or loaded block, at the most recent end of its segment. */
    void add(int c, boolean isProtected) {
        blocks.setStamp(c, now);
        if (isProtected && lists.size(PROTECTED) < protectedCapacity) {
            blocks.set(c, BlockTable.PROTECTED, true);
            lists.addTail(PROTECTED, c);
        } else {
            blocks.set(c, BlockTable.PROTECTED, false);
            lists.addTail(PROBATION, c);
        }
    }

    /** A hit: to the most recent end of protected, possibly pushing protected's oldest to probation. */
    void touch(int c) {
        blocks.setStamp(c, now);
        if (blocks.is(c, BlockTable.PROTECTED)) {
            lists.remove(PROTECTED, c);
            lists.addTail(PROTECTED, c);
            return;
        }
        lists.remove(PROBATION, c);
        blocks.set(c, BlockTable.PROTECTED, true);
        lists.addTail(PROTECTED, c);
        if (lists.size(PROTECTED) > protectedCapacity) {
            int old = lists.pollHead(PROTECTED);
            blocks.set(old, BlockTable.PROTECTED, false);
            lists.addTail(PROBATION, old);
        }
    }

    void remove(int c) {
        lists.remove(blocks.is(c, BlockTable.PROTECTED) ? PROTECTED : PROBATION, c);
    }

    /**
     * The block to give up next: of the oldest mapped blocks of probation and of protected, the one
     * with fewer {@link #currentUses current uses} (probation's on a tie), or the one there is; NONE
     * if neither.
     */
    int victim(Popularity popularity) {
        int probation = firstMapped(PROBATION);
        int prot = firstMapped(PROTECTED);
        if (probation == NONE) {
            return prot;
        }
        if (prot != NONE && currentUses(prot, popularity) < currentUses(probation, popularity)) {
            return prot;
        }
        return probation;
    }

    private int firstMapped(int list) {
        int c = lists.head(list);
        for (int i = 0; c != NONE && i < VICTIM_SCAN; i++, c = lists.next(c)) {
            if (blocks.state(c) == BlockTable.MAPPED) {
                return c;
            }
        }
        return NONE;
    }

    boolean isProtected(int c) {
        return blocks.is(c, BlockTable.PROTECTED);
    }
}
