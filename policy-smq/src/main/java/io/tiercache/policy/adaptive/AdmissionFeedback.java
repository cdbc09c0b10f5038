package io.tiercache.policy.adaptive;

/**
 * The adaptive part: learns from how promotions turn out how much evidence admission should ask for.
 * A promotion is <em>useful</em> if the block is hit before it is demoted (the copy paid off at least
 * once) and useless otherwise.
 * <ul>
 *   <li>Promotions on a block's own uses should be useful at least half the time (by default; the
 *       {@code useful_percent} policy argument): below that the uses margin rises, so only clearer
 *       winners get in (at most {@link #MAX_USES_MARGIN}); above it the margin falls again. The share
 *       is the one trade-off knob: higher means fewer wasted copies and slower tracking of a moving
 *       hot set.
 *   <li>Promotions on its extent's reuses should be useful at least as often, and at least as often
 *       as those on own uses: spatial evidence is used only while the workload shows spatial
 *       locality. Without it the extent margin climbs until extent evidence is ignored; after a
 *       sample period in which extent evidence admitted nothing, the margin steps back by one, so
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
    /** The useful share aimed at, in 1/256. */
    private int usefulShare = DEFAULT_USEFUL_PERCENT * 256 / 100;
    private int usefulPercent = DEFAULT_USEFUL_PERCENT;
    /** Useful share of promotions on own uses, in 1/256 << 8 (fixed point). */
    private int usesShare = 128 << 8;
    /** Whether extent evidence admitted anything this period. */
    private boolean extentAdmissions;

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

    /** Called once per sample period of the popularity counts. */
    void periodEnded() {
        if (!extentAdmissions) {
            extent.relax();
        }
        extentAdmissions = false;
    }

    /** Sets the useful share aimed at, 1..99 percent. */
    void setUsefulPercent(int percent) {
        if (percent < 1 || percent > 99) {
            throw new IllegalArgumentException("useful_percent must be 1..99: " + percent);
        }
        usefulPercent = percent;
        usefulShare = percent * 256 / 100;
    }

    int usefulPercent() {
        return usefulPercent;
    }

    int usesMargin() {
        return uses.margin();
    }

    int extentMargin() {
        return extent.margin();
    }
}
