package io.tiercache.policy.adaptive;

/**
 * What the policy knows about each cache block, in parallel arrays indexed by cblock (no object per
 * block): the origin block it holds and 16 bits of flags, 10 bytes per cache block.
 *
 * <p>The flags hold the block's state (free, reserved for a promotion, mapped, being demoted, being
 * written back), whether it is dirty, whether it sits in the protected segment, whether its work is
 * queued but not yet handed out, whether a promotion is to follow its demotion, and the two bits
 * that track how its promotion turns out (on what evidence it was admitted, whether it has been hit
 * since). The top seven bits are a coarse time stamp of its last use, kept for
 * {@link SegmentedLru}. It also keeps count of the dirty blocks.
 */
final class BlockTable {
    static final int FREE = 0;
    static final int RESERVED = 1;
    static final int MAPPED = 2;
    static final int DEMOTING = 3;
    static final int WRITING_BACK = 4;
    private static final int STATE_MASK = 7;

    static final int DIRTY = 1 << 3;
    static final int PROTECTED = 1 << 4;
    /** Its work (promotion or demotion) waits in the {@link WorkRing}, not handed out yet. */
    static final int QUEUED = 1 << 5;
    /** Its demotion makes room for a promotion, whose origin block is stashed in its list links. */
    static final int FOLLOWED = 1 << 6;
    /**
     * It was admitted on its extent's reuses, not its own uses; on a block being demoted with
     * {@link #FOLLOWED}: the promotion that follows was.
     */
    static final int BY_EXTENT = 1 << 7;
    /** Promoted and not hit since. */
    static final int UNUSED = 1 << 8;

    private static final int STAMP_SHIFT = 9;
    /** A time stamp has this many values (seven bits), then wraps. */
    static final int STAMPS = 1 << (16 - STAMP_SHIFT);
    private static final int STAMP_MASK = (STAMPS - 1) << STAMP_SHIFT;

    /** The flags a change of state keeps. */
    private static final int KEPT = DIRTY | PROTECTED | BY_EXTENT | UNUSED | STAMP_MASK;

    final long[] oblock;
    private final short[] flags;
    private int dirtyCount;

    BlockTable(int cacheBlocks) {
        this.oblock = new long[cacheBlocks];
        this.flags = new short[cacheBlocks];
    }

    int size() {
        return flags.length;
    }

    int state(int c) {
        return flags[c] & STATE_MASK;
    }

    /** Sets the state; clears {@link #QUEUED} and {@link #FOLLOWED}, keeps the rest. */
    void setState(int c, int state) {
        flags[c] = (short) ((flags[c] & KEPT) | state);
    }

    /** Mapped, possibly with a writeback or demotion in flight: lookups hit it. */
    boolean holds(int c) {
        int s = state(c);
        return s == MAPPED || s == DEMOTING || s == WRITING_BACK;
    }

    boolean is(int c, int flag) {
        return (flags[c] & flag) != 0;
    }

    /** Sets or clears {@link #DIRTY}, keeping count; {@link #set} is for the other flags. */
    void setDirty(int c, boolean on) {
        if (is(c, DIRTY) != on) {
            set(c, DIRTY, on);
            dirtyCount += on ? 1 : -1;
        }
    }

    int dirtyCount() {
        return dirtyCount;
    }

    void set(int c, int flag, boolean on) {
        flags[c] = (short) (on ? flags[c] | flag : flags[c] & ~flag);
    }

    /** The time stamp of the block's last use, 0..{@link #STAMPS} - 1. */
    int stamp(int c) {
        return (flags[c] & STAMP_MASK) >>> STAMP_SHIFT;
    }

    void setStamp(int c, int stamp) {
        flags[c] = (short) ((flags[c] & ~STAMP_MASK) | ((stamp << STAMP_SHIFT) & STAMP_MASK));
    }

    /** Back to free: no flags at all (a dirty block leaves the dirty count). */
    void clear(int c) {
        if (is(c, DIRTY)) {
            dirtyCount--;
        }
        flags[c] = FREE;
    }

    long bytes() {
        return 10L * flags.length;
    }
}
