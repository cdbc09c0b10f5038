package io.tiercache.policy.smq;

import io.tiercache.spi.policy.PolicyGeometry;

/**
 * The size of smq's hotspot table. Misses are tracked per hotspot block, 16 cache blocks wide, in a
 * table of a quarter as many entries as cache blocks (at least 1024); if that table would span more
 * than the origin, the hotspot block is halved until it fits or equals a cache block.
 *
 * @param hotspotBlockSectors the hotspot block size in sectors
 * @param entries hotspot entries
 * @param cacheBlocksPerHotspotBlock the divisor from origin block to hotspot block
 */
record HotspotGeometry(long hotspotBlockSectors, int entries, int cacheBlocksPerHotspotBlock) {
    static HotspotGeometry of(PolicyGeometry g) {
        long cacheBlocks = g.cacheBlocks();
        long blockSectors = g.blockSectors();
        long hotspotSectors = blockSectors * 16;
        int entries = (int) Math.max(cacheBlocks / 4, 1024);
        while (hotspotSectors > blockSectors && hotspotSectors * entries > g.originSectors()) {
            hotspotSectors /= 2;
        }
        return new HotspotGeometry(hotspotSectors, entries, (int) (hotspotSectors / blockSectors));
    }
}
