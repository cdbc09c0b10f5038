package io.tiercache.policy.adaptive;

/**
 * When each extent's blocks were last reused, so that an extent's count can be judged as a block's
 * is: a count is a decaying sum over the last few sample periods, and an extent the hot set has left
 * keeps a high count for periods after its last reuse. One byte per slot holds a stamp of the
 * {@link SegmentedLru} clock; slots are found by a hash of the extent, one per four cache blocks
 * (a quarter of a byte per cache block), with no tag: two extents that share a slot share the
 * newer stamp, so a collision can only make an extent look busier, never quieter, than it is.
 */
final class ExtentActivity {
    private final byte[] stamps;

    ExtentActivity(int cacheBlocks) {
        this.stamps = new byte[Math.max(64, cacheBlocks / 4)];
    }

    /** A block of {@code oblock}'s extent was reused at clock {@code now}. */
    void reused(long oblock, int now) {
        stamps[slot(oblock)] = (byte) now;
    }

    /** The clock stamp of the last reuse in {@code oblock}'s extent. */
    int lastReuse(long oblock) {
        return stamps[slot(oblock)] & 0xff;
    }

    /** A multiplicative hash of the extent, its top 32 bits scaled to the table (no division). */
    private int slot(long oblock) {
        long h = (oblock >>> Popularity.EXTENT_SHIFT) * OriginIndex.GOLDEN_RATIO_64;
        return (int) (((h >>> 32) * stamps.length) >>> 32);
    }

    long bytes() {
        return stamps.length;
    }
}
