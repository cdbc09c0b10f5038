package io.tiercache.core.cache;

import io.tiercache.spi.block.BlockIoException;
import io.tiercache.spi.block.Errno;
import io.tiercache.spi.metadata.CacheMetadata;
import java.io.IOException;
import java.util.concurrent.locks.ReentrantLock;

/**
 * When and how the metadata transaction is committed (target-semantics §4.7): every second if
 * anything changed, before a FLUSH or FUA write completes, before a demotion or a passthrough
 * invalidation completes, at status, at postsuspend (with the clean-shutdown flag) and at resume
 * (to clear that flag again).
 *
 * <p>There is no batching thread: a caller that needs a commit performs it, under the shared
 * object's lock. Callers queued behind it find nothing changed and return at once unless something
 * did change meanwhile, which gives group commit for free. A commit first flushes the cache and
 * origin devices if they were written since the last one, under the same lock that every mapping
 * change takes: whatever a commit makes durable refers to data that is already durable.
 */
final class Committer {
    private final SharedMetadata.Handle handle;
    private final CacheMetadata metadata;
    private final MetadataModes modes;
    private final CacheDevices devices;
    private final ReentrantLock lock;

    Committer(SharedMetadata.Handle handle, MetadataModes modes, CacheDevices devices) {
        this.handle = handle;
        this.metadata = handle.metadata();
        this.modes = modes;
        this.devices = devices;
        this.lock = handle.lock();
    }

    /**
     * Commits if anything changed since the last commit (periodic, flush, FUA, demotion). An
     * unreadable "changed" state counts as changed, so that the commit reports the failure.
     */
    void commitIfChanged() throws IOException {
        lock.lock();
        try {
            boolean changed;
            try {
                changed = metadata.changedThisTransaction();
            } catch (IOException | RuntimeException e) {
                changed = true;
            }
            if (changed) {
                commit(false);
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Commits unconditionally (status, postsuspend). Refused with EIO in read-only and fail modes,
     * without further failure handling, as the kernel's {@code commit()}; a failure aborts.
     */
    void commit(boolean cleanShutdown) throws IOException {
        if (modes.mode().atLeast(MetadataMode.READ_ONLY)) {
            throw new BlockIoException(Errno.EIO, "cache metadata is in " + modes.mode().description()
                    + " mode: no commit");
        }
        lock.lock();
        try {
            devices.flushIfWritten();
            metadata.commit(cleanShutdown);
            handle.cleanFlagOnDisk(cleanShutdown);
        } catch (IOException | RuntimeException e) {
            modes.operationFailed("dm_cache_commit", e);
            throw new BlockIoException(Errno.EIO, "metadata commit failed: " + e.getMessage(), e);
        } finally {
            lock.unlock();
        }
    }

    /**
     * An empty FLUSH: the metadata first, then both copies of the flush (origin and cache), so
     * that every write completed before it and every mapping it relies on is durable.
     */
    void flush() throws IOException {
        commitIfChanged();
        devices.flushBoth();
    }

    /**
     * After resume, before I/O restarts: the last suspend left the clean-shutdown flag set; a crash
     * from now on must not trust the dirty bits on disk (target-semantics §4.8, the noted hazard).
     */
    void clearCleanFlag() {
        if (handle.cleanFlagOnDisk() && modes.mode() == MetadataMode.WRITE) {
            try {
                commit(false);
            } catch (IOException e) {
                // commit() has already run the failure handling; the table is read-only now.
            }
        }
    }
}
