package io.tiercache.spi.policy;

/**
 * What a policy is sized for when a table is constructed (the kernel's {@code create(cache_size,
 * origin_size, cache_block_size)}).
 *
 * @param cacheBlocks number of cache blocks; the policy's cblocks are {@code 0 .. cacheBlocks-1}
 * @param originSectors origin size in 512-byte sectors (the target length)
 * @param blockSectors cache block size in sectors
 */
public record PolicyGeometry(long cacheBlocks, long originSectors, long blockSectors) {
    public PolicyGeometry {
        if (cacheBlocks < 0 || originSectors < 0 || blockSectors <= 0) {
            throw new IllegalArgumentException("bad policy geometry " + cacheBlocks + "/" + originSectors
                    + "/" + blockSectors);
        }
    }

    /** A geometry in whole blocks: {@code originBlocks} origin blocks of {@code blockSectors} each. */
    public static PolicyGeometry ofBlocks(long cacheBlocks, long originBlocks, long blockSectors) {
        return new PolicyGeometry(cacheBlocks, Math.multiplyExact(originBlocks, blockSectors), blockSectors);
    }

    /** Whole origin blocks; a partial tail block is not a block the policy ever sees. */
    public long originBlocks() {
        return originSectors / blockSectors;
    }
}
