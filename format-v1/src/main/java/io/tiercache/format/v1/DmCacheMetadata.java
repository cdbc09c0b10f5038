package io.tiercache.format.v1;

import io.tiercache.spi.block.BlockIo;
import io.tiercache.spi.block.BlockIoException;
import io.tiercache.spi.block.CacheBlock;
import io.tiercache.spi.block.DiscardBlock;
import io.tiercache.spi.block.Errno;
import io.tiercache.spi.block.OriginBlock;
import io.tiercache.spi.metadata.CacheMetadata;
import io.tiercache.spi.metadata.MetadataStats;
import io.tiercache.spi.metadata.MetadataSummary;
import io.tiercache.spi.metadata.PolicyIdentity;
import io.tiercache.spi.pdata.CacheSuperblock;
import io.tiercache.spi.pdata.TransactionManager;
import java.io.IOException;
import java.util.BitSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * dm-cache metadata of either format (the kernel's dm-cache-metadata.c): the operations of
 * {@link CacheMetadata} over a {@link TransactionManager} and the structures of a
 * {@link Transaction}; what differs between the formats is the {@link DirtyBits.Store}.
 *
 * <p>Life cycle (spec §7): {@link MetadataOpener} opens or formats; a fresh open has already
 * durably cleared CLEAN_SHUTDOWN and remembers its old value as {@link #cleanWhenOpened()}. Changes
 * accumulate in the transaction until {@link #commit}; {@link #abort} re-opens the device at its
 * last commit. Not thread-safe and without the fail_io rule: the host wraps it in its guard.
 */
public final class DmCacheMetadata implements CacheMetadata {
    private static final Logger LOG = LoggerFactory.getLogger(DmCacheMetadata.class);

    private final DirtyBits.Store store;
    private final BlockIo io;
    private final boolean cleanWhenOpened;
    private TransactionManager tm;
    private Transaction tx;
    /** Metadata read-only mode (set by the target, or at open because needs_check is set). */
    private boolean readOnly;

    DmCacheMetadata(DirtyBits.Store store, BlockIo io, TransactionManager tm, Transaction tx, boolean cleanWhenOpened,
            boolean readOnly) {
        this.store = store;
        this.io = io;
        this.tm = tm;
        this.tx = tx;
        this.cleanWhenOpened = cleanWhenOpened;
        this.readOnly = readOnly;
    }

    @Override
    public int version() {
        return tx.version;
    }

    @Override
    public MetadataSummary summary() {
        CacheSuperblock sb = tm.superblock();
        return new MetadataSummary(tx.version, tx.dataBlockSize, tx.cacheBlocks, tx.policy, sb.cleanShutdown(),
                sb.needsCheck(), tx.discardBlockSize, tx.discards.nrBits());
    }

    @Override
    public boolean cleanWhenOpened() {
        return cleanWhenOpened;
    }

    @Override
    public long cacheSize() {
        return tx.cacheBlocks;
    }

    @Override
    public void resize(long newCacheBlocks) throws IOException {
        checkWritable();
        try {
            tx.resize(newCacheBlocks);
        } catch (BlockIoException e) {
            LOG.error("{}", e.getMessage());
            throw e;
        }
    }

    @Override
    public void insertMapping(CacheBlock cblock, OriginBlock oblock) throws IOException {
        checkWritable();
        tx.insert(cblock.value(), oblock.value());
    }

    @Override
    public void removeMapping(CacheBlock cblock) throws IOException {
        checkWritable();
        tx.remove(cblock.value());
    }

    @Override
    public boolean changedThisTransaction() {
        return tx.changed;
    }

    /**
     * The load rule of spec §7.4: after an unclean shutdown every valid mapping is dirty and no hint
     * is given; otherwise the stored dirty bits, and the hints if {@code policy} may use them.
     */
    @Override
    public void loadMappings(PolicyIdentity policy, MappingVisitor visitor) throws IOException {
        boolean withHints = cleanWhenOpened && tx.hints != null && tx.policy.hintSize() != 0
                && policy.canUseHintsOf(tx.policy);
        int hintSize = withHints ? tx.hints.valueSize() : 0;
        tx.mappings.forEach((cb, word) -> {
            if (!MappingWord.valid(word)) {
                return;
            }
            boolean dirty = !cleanWhenOpened || tx.dirty.test(cb, word);
            byte[] hint = null;
            if (withHints) {
                hint = new byte[hintSize];
                tx.hints.get(cb, hint);
            }
            visitor.mapping(OriginBlock.of(MappingWord.origin(word)), CacheBlock.of(cb), dirty, hint);
        });
    }

    @Override
    public void setDirtyBits(long nrBits, BitSet dirty) throws IOException {
        checkWritable();
        tx.setDirtyBits(nrBits, dirty);
    }

    @Override
    public void resizeDiscardBitset(long blockSectors, long nrBlocks) throws IOException {
        checkWritable();
        tx.resizeDiscards(blockSectors, nrBlocks);
    }

    @Override
    public void setDiscard(DiscardBlock dblock, boolean discarded) throws IOException {
        checkWritable();
        if (dblock.value() >= tx.discards.nrBits()) {
            throw new BlockIoException(Errno.EINVAL, "discard block " + dblock.value() + " beyond the discard bitset ("
                    + tx.discards.nrBits() + " blocks)");
        }
        tx.discards.set(dblock.value(), discarded);
        tx.changed = true;
    }

    /** Discard bits are only trusted after a clean shutdown (the kernel's __load_discards). */
    @Override
    public void loadDiscards(DiscardVisitor visitor) throws IOException {
        for (long db = 0; db < tx.discards.nrBits(); db++) {
            boolean discarded = cleanWhenOpened && tx.discards.test(db);
            visitor.discard(tx.discardBlockSize, DiscardBlock.of(db), discarded);
        }
    }

    @Override
    public MetadataStats stats() {
        return tx.stats;
    }

    /** Saved by the next commit; not a change by itself (an idle cache must not commit). */
    @Override
    public void setStats(MetadataStats stats) throws IOException {
        checkWritable();
        tx.stats = stats;
    }

    @Override
    public void writeHints(PolicyIdentity policy, HintSource hints) throws IOException {
        checkWritable();
        tx.writeHints(policy, hints);
    }

    @Override
    public void commit(boolean cleanShutdown) throws IOException {
        checkWritable();
        int flags = tm.superblock().flags() & ~CacheSuperblock.FLAG_CLEAN_SHUTDOWN;
        tm.commit(tx.fill(cleanShutdown ? flags | CacheSuperblock.FLAG_CLEAN_SHUTDOWN : flags));
        tx.changed = false;
    }

    /**
     * Re-opens the device at its last commit with a fresh block manager, as the kernel does, so
     * nothing of the failed transaction (cached or pinned) survives. Refused in read-only mode, where
     * nothing can have changed.
     */
    @Override
    public void abort() throws IOException {
        checkWritable();
        TransactionManager fresh = TransactionManager.open(io, TransactionManager.Options.readWrite());
        CacheSuperblock sb = fresh.superblock();
        if (sb.version() != tx.version || Integer.toUnsignedLong(sb.dataBlockSize()) != tx.dataBlockSize) {
            throw new BlockIoException(Errno.EIO, "abort: the metadata device changed under us (version "
                    + sb.version() + ", data block size " + Integer.toUnsignedLong(sb.dataBlockSize()) + ")");
        }
        if (sb.cleanShutdown()) {
            // A failed clean commit may have reached the superblock: keep the on-disk flag clear
            // while the metadata is open, as after a fresh open.
            fresh.writeFlags(sb.flags() & ~CacheSuperblock.FLAG_CLEAN_SHUTDOWN);
        }
        Transaction reopened = Transaction.open(fresh, store);
        tm = fresh;
        tx = reopened;
        LOG.info("aborted the metadata transaction; back at the last commit ({} cache blocks)", tx.cacheBlocks);
    }

    @Override
    public long freeMetadataBlocks() {
        return tm.spaceMap().nrFree();
    }

    @Override
    public long metadataDeviceBlocks() {
        return tm.spaceMap().nrBlocks();
    }

    @Override
    public boolean needsCheck() {
        return tm.superblock().needsCheck();
    }

    /** Written into the committed superblock at once, whatever the transaction holds. */
    @Override
    public void setNeedsCheck() throws IOException {
        checkWritable();
        tm.writeFlags(tm.superblock().flags() | CacheSuperblock.FLAG_NEEDS_CHECK);
    }

    @Override
    public void setReadOnly() {
        readOnly = true;
    }

    @Override
    public void setReadWrite() throws IOException {
        if (tm.readOnly()) {
            throw new BlockIoException(Errno.EROFS, "metadata was opened read-only; open it again to write");
        }
        if (needsCheck()) {
            throw new BlockIoException(Errno.EINVAL, "the metadata's needs_check flag is set: no write access "
                    + "until it is checked and repaired (cache_check, cache_repair)");
        }
        readOnly = false;
    }

    /** True in metadata read-only mode (write operations are refused). */
    public boolean readOnly() {
        return readOnly;
    }

    /** Drops the open transaction (uncommitted changes are lost, as in the kernel). */
    @Override
    public void close() {
        tx = null;
    }

    private void checkWritable() throws BlockIoException {
        if (tx == null) {
            throw new BlockIoException(Errno.EINVAL, "metadata is closed");
        }
        if (readOnly) {
            throw new BlockIoException(Errno.EINVAL, "metadata is in read-only mode");
        }
    }
}
