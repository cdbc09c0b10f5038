package io.tiercache.policy.adaptive;

/**
 * A margin steered by outcomes: each useful outcome moves a balance up by {@code 1 - target}, each
 * useless one down by {@code target}, so the balance drifts down exactly when the useful share is
 * below the target. Sixteen outcomes' worth of drift either way moves the margin by one, within
 * {@code 0 .. max}.
 */
final class MarginControl {
    private static final int SCALE = 256;
    private static final int STEP = 16 * SCALE;

    private final int max;
    private int balance;
    private int margin;

    MarginControl(int max) {
        this.max = max;
    }

    /**
     * @param target256 the useful share wanted, in 1/256
     */
    void record(boolean useful, int target256) {
        balance += useful ? SCALE - target256 : -target256;
        if (balance <= -STEP) {
            margin = Math.min(max, margin + 1);
            balance = 0;
        } else if (balance >= STEP) {
            margin = Math.max(0, margin - 1);
            balance = 0;
        }
    }

    /** One step back towards 0, so a margin that stopped all admissions gets to try again. */
    void relax() {
        if (margin > 0) {
            margin--;
        }
    }

    int margin() {
        return margin;
    }
}
