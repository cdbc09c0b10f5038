package io.tiercache.core.cache;

/**
 * The sizes a cache table is built for (target-semantics §1.1, §4.5). The origin is the target
 * length; only whole blocks of it are cached ({@link #originBlocks}); the cache size is that of the
 * cache device when the table was constructed (the policy is sized for it). Block sizes are
 * multiples of 64 sectors but not necessarily powers of two, so everything divides.
 *
 * @param blockSectors cache block size in sectors
 * @param originSectors the target length
 * @param cacheBlocks cache blocks at construction
 * @param discardBlockSectors discard block size: the block size doubled until at most 2^14 fit
 * @param discardBlocks {@code ceil(originSectors / discardBlockSectors)}
 */
record CacheGeometry(long blockSectors, long originSectors, long cacheBlocks, long discardBlockSectors,
        long discardBlocks) {
    static final int SECTOR = 512;
    static final long MAX_DISCARD_BLOCKS = 1L << 14;

    static CacheGeometry of(long blockSectors, long originSectors, long cacheDeviceSectors) {
        long dbs = blockSectors;
        if (originSectors > 0) {
            while (originSectors / dbs > MAX_DISCARD_BLOCKS) {
                dbs *= 2;
            }
        }
        return new CacheGeometry(blockSectors, originSectors, cacheDeviceSectors / blockSectors, dbs,
                divUp(originSectors, dbs));
    }

    long blockBytes() {
        return blockSectors * SECTOR;
    }

    /** Whole origin blocks; a partial tail block is passed straight to the origin. */
    long originBlocks() {
        return originSectors / blockSectors;
    }

    long oblockOf(long byteOffset) {
        return byteOffset / blockBytes();
    }

    long dblockOf(long oblock) {
        return oblock * blockSectors / discardBlockSectors;
    }

    /** Cache blocks that fit on a cache device of {@code bytes}. */
    long cacheBlocksOf(long bytes) {
        return bytes / SECTOR / blockSectors;
    }

    static long divUp(long a, long b) {
        return (a + b - 1) / b;
    }
}
