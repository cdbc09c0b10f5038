package io.tiercache.policy.adaptive;

/**
 * The adaptive part: learns from how promotions turn out how much evidence admission should ask for.
 * A promotion is <em>useful</em> if the block is hit before it is demoted (the copy paid off at least
 * once) and useless otherwise.
 * <ul>
 *   <li>Promotions on a block's own uses should be useful at least as often as the <em>target</em>:
 *       below it the uses margin rises, so only clearer winners get in (at most
 *       {@link #MAX_USES_MARGIN}); above it the margin falls again.
 *   <li>The target is the larger of the {@code useful_percent} policy argument (default half: a copy
 *       should pay off more often than not) and the cache's own hit ratio over the last count period.
 *       A cache that already serves most accesses asks a newcomer to be useful about as often as an
 *       access hits, so it stops copying blocks that would only dilute it; when the hit ratio falls,
 *       as when the hot set moves, the target falls back with it and the policy copies more freely
 *       while it relearns. {@code useful_percent} stays the trade-off knob: higher means fewer
 *       wasted copies and slower tracking of a moving hot set.
 *   <li>Promotions on its extent's reuses should be useful at least as often as the target, and at
 *       least as often as those on own uses: spatial evidence is used only while the workload shows
 *       spatial locality. Without it the extent margin climbs until extent evidence is ignored; after
 *       a sample period in which extent evidence admitted nothing, the margin steps back by one, so
 *       the policy keeps trying and notices when locality returns.
 * </ul>
 * Memory: a few fields. The outcome of each promotion is tracked with two flag bits per cache block.
 */
final class AdmissionFeedback {
    /** The useful share of promotions aimed at by default, in percent. */
    static final int DEFAULT_USEFUL_PERCENT = 50;
    static final int MAX_USES_MARGIN = 8;
    /** Beyond any count: extent evidence is then ignored. */
    static final int MAX_EXTENT_MARGIN = FrequencySketch.MAX_COUNT + 1;
    /** The useful share of promotions on own uses is a moving average over about this many outcomes. */
    private static final int RATE_WINDOW = 256;

    private final MarginControl uses = new MarginControl(MAX_USES_MARGIN);
    private final MarginControl extent = new MarginControl(MAX_EXTENT_MARGIN);
    private int usefulPercent = DEFAULT_USEFUL_PERCENT;
    /** {@code useful_percent} in 1/256. */
    private int configuredShare = DEFAULT_USEFUL_PERCENT * 256 / 100;
    /** The hit ratio of the last count period, in 1/256. */
    private int hitShare;
    /** The useful share aimed at, in 1/256: the larger of the two above. */
    private int usefulShare = configuredShare;
    /** Useful share of promotions on own uses, in 1/256 << 8 (fixed point). */
    private int usesShare = 128 << 8;
    /** Whether extent evidence admitted anything this period. */
    private boolean extentAdmissions;

    /**
     * Cblock {@code c} is hit ({@code hit}) or given up: if it was promoted and not hit since, that
     * settles whether its promotion was useful, once.
     */
    void resolve(BlockTable blocks, int c, boolean hit) {
        if (blocks.is(c, BlockTable.UNUSED)) {
            outcome(blocks.is(c, BlockTable.BY_EXTENT), hit);
            blocks.set(c, BlockTable.UNUSED, false);
        }
        blocks.set(c, BlockTable.BY_EXTENT, false);
    }

    /** A promotion's outcome: hit at least once ({@code useful}) or demoted without a hit. */
    void outcome(boolean byExtent, boolean useful) {
        if (byExtent) {
            extent.record(useful, Math.max(usefulShare, usesShare >> 8));
        } else {
            usesShare += ((useful ? 256 << 8 : 0) - usesShare) / RATE_WINDOW;
            uses.record(useful, usefulShare);
        }
    }

    /** A promotion was queued on extent evidence. */
    void admittedByExtent() {
        extentAdmissions = true;
    }

    /** Called once per sample period of the popularity counts, with that period's hit ratio in 1/256. */
    void periodEnded(int hitShare256) {
        if (!extentAdmissions) {
            extent.relax();
        }
        extentAdmissions = false;
        hitShare = hitShare256;
        usefulShare = Math.max(configuredShare, hitShare);
    }

    /** Sets the least useful share aimed at, 1..99 percent. */
    void setUsefulPercent(int percent) {
        if (percent < 1 || percent > 99) {
            throw new IllegalArgumentException("useful_percent must be 1..99: " + percent);
        }
        usefulPercent = percent;
        configuredShare = percent * 256 / 100;
        usefulShare = Math.max(configuredShare, hitShare);
    }

    int usefulPercent() {
        return usefulPercent;
    }

    /** The useful share currently aimed at, in percent. */
    int targetPercent() {
        return (usefulShare * 100 + 128) / 256;
    }

    int usesMargin() {
        return uses.margin();
    }

    int extentMargin() {
        return extent.margin();
    }
}
