package io.tiercache.spi.metadata;

/**
 * What the superblock says, for status lines and tools.
 *
 * @param version on-disk format version
 * @param dataBlockSectors the cache block size it was formatted with
 * @param cacheBlocks number of cache blocks
 * @param policy the policy that wrote the hints
 * @param cleanShutdown the clean-shutdown flag as on disk now
 * @param needsCheck the needs_check flag
 * @param discardBlockSectors discard block size (0 if none)
 * @param discardBlocks number of discard blocks
 */
public record MetadataSummary(int version, long dataBlockSectors, long cacheBlocks, PolicyIdentity policy,
        boolean cleanShutdown, boolean needsCheck, long discardBlockSectors, long discardBlocks) {}
