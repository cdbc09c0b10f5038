package io.tiercache.core.cache;

import io.tiercache.core.metadata.GuardedMetadata;
import io.tiercache.core.metadata.MetadataFormats;
import io.tiercache.spi.block.BlockIo;
import io.tiercache.spi.block.BlockIoException;
import io.tiercache.spi.block.Errno;
import io.tiercache.spi.metadata.CacheMetadata;
import io.tiercache.spi.metadata.OpenOptions;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

/**
 * At most one open metadata object per metadata device, shared by every table that names it
 * (target-semantics §5.3; upstream "share cache-metadata object across inactive and active DM
 * tables"): LVM loads the new table while the old one still runs, and both must see the same
 * in-memory transaction. The first table to open the device opens (or formats) it, which durably
 * clears the clean-shutdown flag and decides {@code clean_when_opened} for the object's whole
 * life; later tables only take a reference, and the last one to let go closes it.
 *
 * <p>Each table opens its own handle on the device and closes it when it is destroyed, while the
 * object lives on; the object therefore does its I/O through a {@link SwitchableDevice} that moves
 * to another table's handle before the one in use is closed.
 */
@Singleton
public final class SharedMetadata {
    private final MetadataFormats formats;
    private final Map<String, Entry> open = new HashMap<>();

    @Inject
    public SharedMetadata(MetadataFormats formats) {
        this.formats = formats;
    }

    /**
     * Opens the metadata on {@code device} or shares the object already open for {@code key}.
     *
     * @param key the device's identity (two tables naming the same device must give the same key)
     * @param blockSectors the table's cache block size; must equal the metadata's
     * @param formatVersion the version to format a zeroed device with
     * @throws IOException if it cannot be opened or the block size differs (logged in the kernel's words)
     */
    public synchronized Handle acquire(String key, BlockIo device, long blockSectors, int formatVersion)
            throws IOException {
        Entry e = open.get(key);
        if (e == null) {
            SwitchableDevice io = new SwitchableDevice(device);
            GuardedMetadata md;
            try {
                md = formats.open(io, new OpenOptions(blockSectors, true, formatVersion, false));
            } catch (IOException | RuntimeException ex) {
                CacheLog.metadataError(ex.getMessage());
                throw ex;
            }
            e = new Entry(key, md, io, md.summary().dataBlockSectors());
            open.put(key, e);
        } else {
            if (e.blockSectors != blockSectors) {
                String why = "data_block_size (" + blockSectors + ") different from that in metadata ("
                        + e.blockSectors + ")";
                CacheLog.metadataError(why);
                throw new BlockIoException(Errno.EINVAL, why);
            }
            e.io.add(device);
        }
        e.refs++;
        return new Handle(e, device);
    }

    /** Metadata objects open now (for tests and diagnostics). */
    public synchronized int openObjects() {
        return open.size();
    }

    private synchronized void release(Entry e, BlockIo device) {
        e.io.remove(device);
        if (--e.refs == 0) {
            open.remove(e.key);
            e.metadata.close();
        }
    }

    private static final class Entry {
        final String key;
        final GuardedMetadata metadata;
        final SwitchableDevice io;
        final long blockSectors;
        final ReentrantLock lock = new ReentrantLock();
        int refs;
        /** True while the last commit set the clean-shutdown flag (until the next commit clears it). */
        volatile boolean cleanFlagOnDisk;

        Entry(String key, GuardedMetadata metadata, SwitchableDevice io, long blockSectors) {
            this.key = key;
            this.metadata = metadata;
            this.io = io;
            this.blockSectors = blockSectors;
        }
    }

    /** One table's reference to a shared metadata object. */
    public final class Handle implements AutoCloseable {
        private final Entry entry;
        private final BlockIo device;
        private boolean closed;

        private Handle(Entry entry, BlockIo device) {
            this.entry = entry;
            this.device = device;
        }

        public CacheMetadata metadata() {
            return entry.metadata;
        }

        /**
         * The lock that orders metadata changes against commits: a commit flushes the data devices
         * and commits under it, so no change slips in between the two.
         */
        ReentrantLock lock() {
            return entry.lock;
        }

        boolean cleanFlagOnDisk() {
            return entry.cleanFlagOnDisk;
        }

        void cleanFlagOnDisk(boolean set) {
            entry.cleanFlagOnDisk = set;
        }

        /** Drops this table's reference; the last one closes the metadata (no sync: dtr does none). */
        @Override
        public void close() {
            if (!closed) {
                closed = true;
                release(entry, device);
            }
        }
    }
}
