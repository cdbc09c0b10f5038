package io.tiercache.policy.adaptive;

/**
 * The share of accesses that hit, over the current count period of {@link Popularity} (a few cache
 * turnovers' worth of accesses, never a time span). {@link AdmissionFeedback} reads it at the end of
 * each period. Two counters, nothing per block.
 */
final class HitRate {
    private long accesses;
    private long hits;

    void access(boolean hit) {
        accesses++;
        if (hit) {
            hits++;
        }
    }

    /** The hit ratio of the period that ends now, in 1/256 (0 if it saw no access); starts the next one. */
    int endPeriod() {
        int share = accesses == 0 ? 0 : (int) (hits * 256 / accesses);
        accesses = 0;
        hits = 0;
        return share;
    }
}
