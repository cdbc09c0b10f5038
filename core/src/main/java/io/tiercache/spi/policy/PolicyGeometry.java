package io.tiercache.spi.policy;

/**
 * What a policy is sized for when a table is constructed.
 *
 * @param cacheBlocks number of cache blocks
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
}
