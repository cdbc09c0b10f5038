package io.tiercache.core.sim;

/**
 * How a replay models the cache target around the policy.
 *
 * @param cacheBlocks the cache size C
 * @param originBlocks the origin size the policy is created with
 * @param ticksEvery a policy tick before every {@code ticksEvery}-th access (the target ticks on the
 *     completion of one marked request at a time, so under load roughly once per request at queue
 *     depth 1); 0 for none
 * @param accessesPerSecond the modelled request rate: it turns access counts into the wall time the
 *     policy's periods are measured in
 * @param blockSectors the cache block size in sectors (only ratios matter to the policies)
 */
public record SimOptions(long cacheBlocks, long originBlocks, long ticksEvery, long accessesPerSecond,
        long blockSectors) {
    /** One tick per request, as the target does at queue depth 1. */
    public static final long DEFAULT_TICKS_EVERY = 1;
    /** A small cache in front of a disk: a thousand 64 KiB requests a second. */
    public static final long DEFAULT_ACCESSES_PER_SECOND = 1000;
    /** 64 KiB blocks. */
    public static final long DEFAULT_BLOCK_SECTORS = 128;

    public SimOptions {
        if (cacheBlocks < 1 || originBlocks < 1 || ticksEvery < 0 || accessesPerSecond < 1 || blockSectors < 1) {
            throw new IllegalArgumentException("bad simulation options: cache " + cacheBlocks + ", origin "
                    + originBlocks + ", ticks every " + ticksEvery + ", " + accessesPerSecond + "/s, block "
                    + blockSectors);
        }
    }

    public static SimOptions of(long cacheBlocks, long originBlocks) {
        return new SimOptions(cacheBlocks, originBlocks, DEFAULT_TICKS_EVERY, DEFAULT_ACCESSES_PER_SECOND,
                DEFAULT_BLOCK_SECTORS);
    }

    public SimOptions withTicksEvery(long k) {
        return new SimOptions(cacheBlocks, originBlocks, k, accessesPerSecond, blockSectors);
    }

    public SimOptions withAccessesPerSecond(long rate) {
        return new SimOptions(cacheBlocks, originBlocks, ticksEvery, rate, blockSectors);
    }
}
