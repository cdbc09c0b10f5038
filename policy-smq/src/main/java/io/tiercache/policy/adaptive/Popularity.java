package io.tiercache.policy.adaptive;

/**
 * What the policy knows about how popular an origin block is, from one {@link FrequencySketch}:
 * <ul>
 *   <li>its <em>own uses</em>: every access counts;
 *   <li>the <em>reuses in its extent</em> (16 neighbouring blocks, like smq's hotspot blocks): an
 *       access counts for the extent only if the block itself had been used recently, so a
 *       sequential scan, which touches each block once, leaves its extents cold, while an extent
 *       whose blocks keep being reused warms up. A block never seen before in a warm extent is then
 *       probably popular too: data that is used together is usually stored together.
 * </ul>
 * Extent keys are negative, block numbers are not, so the two never meet as the same key. The sketch
 * has one {@code long} (16 counters) per cache block and is halved after four increments per cache
 * block (block and extent increments together), so a count covers roughly the last few times the
 * cache could have been refilled: long enough to tell a popular block from a passing one, short
 * enough to follow a moving hot set. (Four rather than Caffeine's ten: checked on the generated
 * validation traces, it copies less and hits more on the moving ones.)
 */
final class Popularity {
    /** log2 of the blocks per extent. */
    static final int EXTENT_SHIFT = 4;
    /** Increments per cache block between two halvings of the counts. */
    static final int PERIOD_PER_BLOCK = 4;

    private final FrequencySketch sketch;

    Popularity(int cacheBlocks) {
        int sized = sizedFor(cacheBlocks);
        this.sketch = new FrequencySketch(sized, (int) Math.min(Integer.MAX_VALUE, (long) PERIOD_PER_BLOCK * sized));
    }

    /** The cache size the counts are scaled to: the sample period is {@link #PERIOD_PER_BLOCK} times it. */
    static int sizedFor(int cacheBlocks) {
        return Math.max(cacheBlocks, 64);
    }

    private static long extentKey(long oblock) {
        return -(oblock >>> EXTENT_SHIFT) - 1;
    }

    /** Counts one access to {@code oblock}; true if it counted for the extent too (a reuse). */
    boolean record(long oblock) {
        boolean reuse = sketch.frequency(oblock) > 0;
        if (reuse) {
            sketch.increment(extentKey(oblock));
        }
        sketch.increment(oblock);
        return reuse;
    }

    /** Recent uses of the block itself, 0..15. */
    int uses(long oblock) {
        return sketch.frequency(oblock);
    }

    /** Recent reuses of blocks in the block's extent, 0..15. */
    int extentReuses(long oblock) {
        return sketch.frequency(extentKey(oblock));
    }

    /** Restores a block's count from a hint. */
    void restore(long oblock, int uses) {
        sketch.raiseTo(oblock, uses);
    }

    /** Ticks once per sample period. */
    long periods() {
        return sketch.halvings();
    }

    long bytes() {
        return sketch.bytes();
    }
}
