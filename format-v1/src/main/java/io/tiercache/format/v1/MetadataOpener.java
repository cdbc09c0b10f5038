package io.tiercache.format.v1;

import io.tiercache.spi.block.BlockIo;
import io.tiercache.spi.block.BlockIoException;
import io.tiercache.spi.block.Errno;
import io.tiercache.spi.metadata.OpenOptions;
import io.tiercache.spi.pdata.CacheSuperblock;
import io.tiercache.spi.pdata.TransactionManager;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opening and formatting (spec §7.1, §7.2), in the kernel's order: validate the superblock and the
 * table's view of it, then (for writing) durably clear CLEAN_SHUTDOWN before anything else is
 * written, remembering whether it was set.
 */
final class MetadataOpener {
    private static final Logger LOG = LoggerFactory.getLogger(MetadataOpener.class);

    private final int version;
    private final DirtyBits.Store store;

    MetadataOpener(int version, DirtyBits.Store store) {
        this.version = version;
        this.store = store;
    }

    DmCacheMetadata open(BlockIo io, OpenOptions options) throws IOException {
        if (TransactionManager.isBlank(io)) {
            if (!options.mayFormat() || options.readOnly()) {
                throw new BlockIoException(Errno.EINVAL, "metadata device is not formatted (block 0 is all zero)");
            }
            return format(io, options);
        }
        TransactionManager tm = TransactionManager.open(io, options.readOnly()
                ? TransactionManager.Options.readOnlyAccess() : TransactionManager.Options.readWrite());
        CacheSuperblock sb = tm.superblock();
        checkSuperblock(sb, options);
        boolean clean = sb.cleanShutdown();
        boolean readOnlyMode = options.readOnly();
        if (!options.readOnly() && sb.needsCheck()) {
            // Nothing is written to metadata that asked to be checked, not even the clean flag.
            LOG.warn("metadata needs_check flag is set: opened in read-only mode until it is checked and repaired");
            readOnlyMode = true;
        }
        if (!readOnlyMode) {
            OpenCheck.verify(tm);
            if (clean) {
                tm.writeFlags(sb.flags() & ~CacheSuperblock.FLAG_CLEAN_SHUTDOWN);
            }
        }
        Transaction tx = Transaction.open(tm, store);
        LOG.debug("opened format {} metadata: {} cache blocks, clean shutdown {}", version, tx.cacheBlocks, clean);
        return new DmCacheMetadata(store, io, tm, tx, clean, readOnlyMode);
    }

    /**
     * Formats a zeroed device and commits at once, as the kernel does, so that the version is fixed
     * and abort has a state to return to. The commit has {@code cache_blocks} 0, which the tools
     * cannot check; the table's resize and commit follow straight away.
     */
    private DmCacheMetadata format(BlockIo io, OpenOptions options) throws IOException {
        if (options.formatVersion() != version) {
            throw new BlockIoException(Errno.EINVAL, "format " + version + " asked to format version "
                    + options.formatVersion());
        }
        long blockSize = options.dataBlockSectors();
        if (blockSize <= 0 || blockSize > 0xFFFF_FFFFL) {
            throw new BlockIoException(Errno.EINVAL, "cannot format with a data block size of " + blockSize + " sectors");
        }
        TransactionManager tm = TransactionManager.format(io, version, TransactionManager.Options.readWrite());
        Transaction tx = Transaction.format(tm, store, version, blockSize);
        tm.commit(tx.fill(0));
        tx.changed = false;
        LOG.info("formatted metadata version {} ({} metadata blocks, data block size {} sectors)", version,
                tm.spaceMap().nrBlocks(), blockSize);
        // Nothing to distrust on a new device: the kernel also counts it as cleanly shut down.
        return new DmCacheMetadata(store, io, tm, tx, true, false);
    }

    /** The checks of the kernel's __check_incompat_features and block-size comparison. */
    private void checkSuperblock(CacheSuperblock sb, OpenOptions options) throws BlockIoException {
        if (sb.version() != version) {
            throw new BlockIoException(Errno.EINVAL, "the metadata is format " + sb.version()
                    + "; this is the format " + version + " plugin");
        }
        if (sb.incompatFlags() != 0) {
            throw new BlockIoException(Errno.EINVAL, String.format(
                    "could not access metadata due to unsupported optional features (0x%x)", sb.incompatFlags()));
        }
        if (sb.compatRoFlags() != 0 && !options.readOnly()) {
            throw new BlockIoException(Errno.EINVAL, String.format(
                    "unable to write metadata due to unsupported optional features (0x%x)", sb.compatRoFlags()));
        }
        long stored = Integer.toUnsignedLong(sb.dataBlockSize());
        if (options.dataBlockSectors() > 0 && stored != options.dataBlockSectors()) {
            throw new BlockIoException(Errno.EINVAL, "changing the data block size (from " + stored + " to "
                    + options.dataBlockSectors() + ") is not supported");
        }
    }
}
