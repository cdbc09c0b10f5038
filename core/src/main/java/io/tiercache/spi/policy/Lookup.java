package io.tiercache.spi.policy;

import io.tiercache.spi.block.CacheBlock;

/**
 * The result of a lookup, packed into one {@code long} so that the per-request path allocates
 * nothing (Java has no value types yet). Policies build results with {@link #hit}, {@link #MISS},
 * {@link #MISS_WORK_QUEUED} and {@link #promoteNow}; callers test them with {@link #isHit} and
 * friends, or {@link #decode} them into a {@link LookupResult} where allocation does not matter.
 *
 * <p>Encoding: {@code r >= 0} is a hit on cblock {@code r}; {@code -1} a miss; {@code -2} a miss
 * after which the policy queued background work (the core should wake its migration worker);
 * {@code r <= -3} a miss for which the policy reserved cblock {@code -3 - r} and hands the promotion
 * to the caller for immediate execution (only {@link CachePolicy#lookupWithWork} returns it).
 */
public final class Lookup {
    /** Not in the cache; nothing queued. */
    public static final long MISS = -1;
    /** Not in the cache; the policy queued background work (promotion, demotion or writeback). */
    public static final long MISS_WORK_QUEUED = -2;

    private static final long PROMOTE_BASE = -3;

    private Lookup() {}

    /** A hit on {@code cblock}. */
    public static long hit(long cblock) {
        if (cblock < 0) {
            throw new IllegalArgumentException("negative cblock " + cblock);
        }
        return cblock;
    }

    /** A miss whose promotion into the reserved {@code cblock} the caller performs now. */
    public static long promoteNow(long cblock) {
        if (cblock < 0) {
            throw new IllegalArgumentException("negative cblock " + cblock);
        }
        return PROMOTE_BASE - cblock;
    }

    public static boolean isHit(long result) {
        return result >= 0;
    }

    public static boolean isPromoteNow(long result) {
        return result <= PROMOTE_BASE;
    }

    /** True if the policy queued work the core should go and fetch with {@code backgroundWork}. */
    public static boolean workQueued(long result) {
        return result == MISS_WORK_QUEUED;
    }

    /** The cblock of a hit or of an immediate promotion. */
    public static long cblock(long result) {
        if (isHit(result)) {
            return result;
        }
        if (isPromoteNow(result)) {
            return PROMOTE_BASE - result;
        }
        throw new IllegalArgumentException("a miss has no cblock");
    }

    /** The result as a value, for code where an allocation per call does not matter. */
    public static LookupResult decode(long result) {
        if (isHit(result)) {
            return new LookupResult.Hit(CacheBlock.of(result));
        }
        if (isPromoteNow(result)) {
            return new LookupResult.PromoteNow(CacheBlock.of(cblock(result)));
        }
        if (result == MISS) {
            return LookupResult.Miss.NOTHING_QUEUED;
        }
        if (result == MISS_WORK_QUEUED) {
            return LookupResult.Miss.WORK_QUEUED;
        }
        throw new IllegalArgumentException("not a lookup result: " + result);
    }
}
