package io.tiercache.policy.adaptive;

/**
 * Whether a missed block is worth a copy into the cache (TinyLFU admission, with bypass). A
 * promotion is copy traffic and a miss may simply be served from the origin, so a block is admitted
 * only on evidence, of one of two kinds:
 * <ul>
 *   <li><b>its own uses</b>: at least {@link #MIN_USES} recently (a block read once, as by a scan,
 *       is not copied) and, on a full cache, more than the victim's by more than the current margin
 *       (a candidate that merely ties does not cost two copies for no expected gain);
 *   <li><b>its extent's reuses</b>, for a block without a record of its own: the same tests applied
 *       to the {@link Popularity#extentReuses reuses in its extent}, with a margin of their own; and
 *       the extent may not be quieter than the victim's own, unless that one has gone quiet
 *       ({@link ExtentActivity}). Extent evidence says "this extent is in use"; when the victim sits
 *       in an extent in more use, it speaks for the victim, and acting on it would swap one block of
 *       the hot data for a colder one at the price of two copies.
 * </ul>
 * The margins come from {@link AdmissionFeedback}, which raises them while too many promotions of
 * that kind turn out useless.
 */
final class Admission {
    /** Uses (the current one included) before a block may be promoted on its own record. */
    static final int MIN_USES = 2;

    static final int REJECT = 0;
    static final int BY_USES = 1;
    static final int BY_EXTENT = 2;

    private Admission() {}

    /** Into a free cache block: how the block qualifies, or {@link #REJECT}. */
    static int intoFreeBlock(int uses, int extentReuses, AdmissionFeedback margins) {
        if (uses >= MIN_USES + margins.usesMargin()) {
            return BY_USES;
        }
        if (extentReuses >= MIN_USES + margins.extentMargin()) {
            return BY_EXTENT;
        }
        return REJECT;
    }

    /**
     * In place of a victim used {@code victimUses} times recently, in an extent with
     * {@code victimExtentReuses} current reuses: how the block qualifies, or {@link #REJECT}.
     */
    static int overVictim(int uses, int extentReuses, int victimUses, int victimExtentReuses,
            AdmissionFeedback margins) {
        if (uses >= MIN_USES && uses > victimUses + margins.usesMargin()) {
            return BY_USES;
        }
        if (extentReuses >= MIN_USES && extentReuses > victimUses + margins.extentMargin()
                && extentReuses >= victimExtentReuses) {
            return BY_EXTENT;
        }
        return REJECT;
    }
}
