package io.tiercache.policy.smq;

/**
 * How often accesses land in the top quarter of a queue's levels: a confidence measure for the
 * hotspot queue (are we tracking the hot blocks?) and the cache hit ratio for the promote level.
 * Counts are unsigned 32-bit and wrap, as in the kernel.
 */
final class HitStats {
    /** The top quarter of 64 levels. */
    static final int HIT_THRESHOLD = MultiQueue.LEVELS * 3 / 4;

    /** How well a queue is doing. */
    enum Confidence {
        POOR,
        FAIR,
        WELL
    }

    private int hits;
    private int misses;

    void levelAccessed(int level) {
        if (level >= HIT_THRESHOLD) {
            hits++;
        } else {
            misses++;
        }
    }

    void miss() {
        misses++;
    }

    void reset() {
        hits = 0;
        misses = 0;
    }

    /** Hits in sixteenths of all accesses (0..16), as the promote-level table is indexed. */
    int sixteenths() {
        return Math.min(16, fraction(4));
    }

    /** Below 1/16 of accesses in the top quarter is POOR, below 1/8 FAIR. */
    Confidence assess() {
        int confidence = fraction(8);
        if (confidence < 16) {
            return Confidence.POOR;
        }
        return confidence < 32 ? Confidence.FAIR : Confidence.WELL;
    }

    private int fraction(int shift) {
        int total = hits + misses;
        return total == 0 ? 0 : Integer.divideUnsigned(hits << shift, total);
    }
}
