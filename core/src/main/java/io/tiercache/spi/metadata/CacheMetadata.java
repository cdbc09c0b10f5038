package io.tiercache.spi.metadata;

import io.tiercache.spi.block.CacheBlock;
import io.tiercache.spi.block.DiscardBlock;
import io.tiercache.spi.block.OriginBlock;
import java.io.IOException;
import java.util.BitSet;

/**
 * An open cache metadata device: the operations of the kernel's dm-cache-metadata.h, which the
 * cache target and the offline tools call. Persistence only: no policy, no data I/O.
 *
 * <p>Changes accumulate in one transaction and become durable at {@link #commit}. Every operation
 * may throw {@link IOException}; after one the caller aborts (see {@link #abort}) and the host's
 * guard makes every later operation fail fast. Implementations need not be thread-safe: the host
 * serialises calls, as the kernel's metadata lock does.
 */
public interface CacheMetadata extends AutoCloseable {
    /** On-disk format version (1 or 2). */
    int version();

    /** The superblock as last read or committed, plus this transaction's pending sizes. */
    MetadataSummary summary() throws IOException;

    /** Whether the clean-shutdown flag was set when this device was opened (fix (b) of 2026). */
    boolean cleanWhenOpened() throws IOException;

    /** Number of cache blocks the metadata holds (the superblock's {@code cache_blocks}). */
    long cacheSize() throws IOException;

    /** Grows or shrinks the mapping (and hint, dirty) arrays; refuses to drop a dirty block. */
    void resize(long newCacheBlocks) throws IOException;

    void insertMapping(CacheBlock cblock, OriginBlock oblock) throws IOException;

    void removeMapping(CacheBlock cblock) throws IOException;

    /** True if anything changed since the last commit (periodic commits skip otherwise). */
    boolean changedThisTransaction() throws IOException;

    /**
     * Visits every valid mapping in cache-block order, with its dirty bit and hint. After an unclean
     * shutdown every mapping is reported dirty and hints are withheld; hints are also withheld when
     * {@code policy} differs from the one that wrote them (name, major version or hint size).
     */
    void loadMappings(PolicyIdentity policy, MappingVisitor visitor) throws IOException;

    /** Records the in-core dirty bits (only written at postsuspend). */
    void setDirtyBits(long nrBits, BitSet dirty) throws IOException;

    /** Resizes the discard bitset to {@code nrBlocks} blocks of {@code blockSectors} each. */
    void resizeDiscardBitset(long blockSectors, long nrBlocks) throws IOException;

    void setDiscard(DiscardBlock dblock, boolean discarded) throws IOException;

    /** Visits every discard block with its state (nothing after an unclean shutdown). */
    void loadDiscards(DiscardVisitor visitor) throws IOException;

    MetadataStats stats() throws IOException;

    void setStats(MetadataStats stats) throws IOException;

    /** Replaces the hint array with the policy's hints and records the policy's identity. */
    void writeHints(PolicyIdentity policy, HintSource hints) throws IOException;

    /** Makes the transaction durable; the clean-shutdown flag is set only if {@code cleanShutdown}. */
    void commit(boolean cleanShutdown) throws IOException;

    /** Drops the transaction: the device is re-read at its last committed state. */
    void abort() throws IOException;

    long freeMetadataBlocks() throws IOException;

    long metadataDeviceBlocks() throws IOException;

    boolean needsCheck() throws IOException;

    /** Durably sets the needs_check flag (written at once). */
    void setNeedsCheck() throws IOException;

    /** Refuse writes from now on. */
    void setReadOnly();

    /** Allow writes again; refused while needs_check is set. */
    void setReadWrite() throws IOException;

    @Override
    void close();

    /** Receives one mapping of {@link #loadMappings}. */
    @FunctionalInterface
    interface MappingVisitor {
        /** {@code hint} is null when hints are not valid. Throwing stops the load. */
        void mapping(OriginBlock oblock, CacheBlock cblock, boolean dirty, byte[] hint) throws IOException;
    }

    /** Receives one discard block of {@link #loadDiscards}. */
    @FunctionalInterface
    interface DiscardVisitor {
        void discard(long blockSectors, DiscardBlock dblock, boolean discarded) throws IOException;
    }

    /** Supplies the hint of each mapped cache block for {@link #writeHints}. */
    @FunctionalInterface
    interface HintSource {
        /** The hint for {@code cblock} ({@code hintSize} bytes), or null if unmapped. */
        byte[] hint(CacheBlock cblock);
    }
}
