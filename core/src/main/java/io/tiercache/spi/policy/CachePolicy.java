package io.tiercache.spi.policy;

import java.util.List;
import java.util.Optional;

/**
 * One policy instance, owned by one cache table: it decides what lives in the cache and never does
 * I/O (the kernel's {@code struct dm_cache_policy}). The core performs the migrations it asks for
 * and keeps it informed of dirty state.
 *
 * <p><b>Contract.</b> Every method may be called from several threads at once and must not block
 * (a policy guards its state with one short lock, as the kernel's smq does with a spinlock). Memory
 * is sized at creation: a policy allocates nothing in proportion to the traffic, and nothing at all
 * per {@link #lookup} if it can help it. Block numbers are plain {@code long}s on these per-request
 * methods for the same reason; {@code oblock} is always an origin block and {@code cblock} a cache
 * block in {@code 0 .. cacheBlocks-1}. The core wraps every policy in a checking adapter: a policy
 * that hands out a cblock twice, forgets a mapping or hits a block it never mapped is taken out of
 * service rather than allowed to corrupt the cache.
 *
 * <p><b>Life of a block.</b> A promotion reserves a cblock (it counts in {@link #residency}) and is
 * either queued for {@link #backgroundWork} or handed straight back by {@link #lookupWithWork}.
 * After the core completes it successfully it calls {@link #setDirty} or {@link #clearDirty} for the
 * new mapping. Before completing a demotion or writeback it calls {@link #clearDirty} (the dirty
 * state may change while work is pending; the policy only notes it).
 */
public interface CachePolicy {
    /**
     * Looks {@code oblock} up for a request; updates the policy's statistics. On a miss the policy
     * may queue a promotion, or a demotion to make room for one.
     *
     * @param fastCopy the request overwrites the whole block, so a promotion would cost no read
     * @return a {@link Lookup} result: hit, miss, or miss with work queued (never promote-now)
     */
    long lookup(long oblock, Direction direction, boolean fastCopy);

    /**
     * Like {@link #lookup}, but a promotion decided now may be returned for the caller to perform
     * at once ({@link Lookup#promoteNow}; used for overwrite promotion). The caller builds the work
     * as {@code PolicyWork.promote(oblock, cblock)} and completes it like any other. The default
     * never hands out work this way.
     */
    default long lookupWithWork(long oblock, Direction direction, boolean fastCopy) {
        return lookup(oblock, direction, fastCopy);
    }

    /**
     * Hands out the next piece of queued work, possibly creating a writeback first.
     *
     * @param idle the device has had no user I/O for a while and the migration budget allows more
     *     copying; a policy may clean more eagerly then
     */
    Optional<PolicyWork> backgroundWork(boolean idle);

    /** The core finished {@code work} (an equal value to the one handed out). */
    void completeBackgroundWork(PolicyWork work, boolean success);

    /** The mapped block at {@code cblock} now differs from the origin. */
    void setDirty(long cblock);

    /** The mapped block at {@code cblock} now equals the origin. */
    void clearDirty(long cblock);

    /**
     * Restores a mapping from the metadata; only while the table is being loaded, before any lookup.
     *
     * @param hint what {@link #hint} returned for this cblock when the metadata was saved
     * @param hintValid false after a crash, or when the hint came from another policy or version
     */
    void loadMapping(long oblock, long cblock, boolean dirty, int hint, boolean hintValid);

    /** Drops the mapping at {@code cblock} whatever its dirtiness; false if nothing is mapped there. */
    boolean invalidateMapping(long cblock);

    /** The 32-bit hint saved for {@code cblock} at suspend (0 if unmapped, or if the hint size is 0). */
    int hint(long cblock);

    /** Allocated cache blocks, including those reserved for promotions in flight. */
    long residency();

    /**
     * The core's clock tick: at least once a second, and more often under load. Policies that keep
     * "once per period" rules check their periods here against the clock they were created with.
     *
     * @param canBlock false when called from a request's completion
     */
    void tick(boolean canBlock);

    /**
     * Applies one {@code key value} pair from the table line or a message. Keys compare
     * case-insensitively.
     *
     * @return false if the key is unknown or the value invalid
     */
    default boolean setConfigValue(String key, String value) {
        return false;
    }

    /** The policy arguments for the status line, as words without the leading count (none: {@code 0}). */
    default List<String> configValues() {
        return List.of();
    }

    /** False for passthrough: no promotions or demotions may be queued. The core never re-enables. */
    void allowMigrations(boolean allow);

    /** Bytes of memory this instance holds (an estimate from its array sizes), or -1 if unknown. */
    default long memoryBytes() {
        return -1;
    }
}
