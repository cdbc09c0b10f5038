package io.tiercache.core.cache;

import io.tiercache.spi.block.BlockIoException;
import io.tiercache.spi.block.CacheBlock;
import io.tiercache.spi.block.Errno;
import io.tiercache.spi.block.OriginBlock;
import io.tiercache.spi.metadata.CacheMetadata;
import java.io.IOException;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The metadata changes the I/O path and the migrations make, each under the shared object's lock
 * (which the {@link Committer} also holds while it commits) and with the kernel's failure handling:
 * a failed change aborts the transaction and leaves the table read-only, see {@link MetadataModes}.
 */
final class MetadataOps {
    private final CacheMetadata metadata;
    private final MetadataModes modes;
    private final ReentrantLock lock;

    MetadataOps(SharedMetadata.Handle handle, MetadataModes modes) {
        this.metadata = handle.metadata();
        this.modes = modes;
        this.lock = handle.lock();
    }

    CacheMetadata metadata() {
        return metadata;
    }

    void insertMapping(long cblock, long oblock) throws IOException {
        lock.lock();
        try {
            metadata.insertMapping(CacheBlock.of(cblock), OriginBlock.of(oblock));
        } catch (IOException | RuntimeException e) {
            modes.operationFailed("dm_cache_insert_mapping", e);
            throw asIo(e);
        } finally {
            lock.unlock();
        }
    }

    void removeMapping(long cblock) throws IOException {
        lock.lock();
        try {
            metadata.removeMapping(CacheBlock.of(cblock));
        } catch (IOException | RuntimeException e) {
            modes.operationFailed("dm_cache_remove_mapping", e);
            throw asIo(e);
        } finally {
            lock.unlock();
        }
    }

    /** Runs a metadata step of the suspend/resume path under the lock, with the failure handling. */
    void run(String op, MetadataStep step) throws IOException {
        lock.lock();
        try {
            step.run(metadata);
        } catch (IOException | RuntimeException e) {
            modes.operationFailed(op, e);
            throw asIo(e);
        } finally {
            lock.unlock();
        }
    }

    @FunctionalInterface
    interface MetadataStep {
        void run(CacheMetadata metadata) throws IOException;
    }

    static IOException asIo(Throwable e) {
        return e instanceof IOException io ? io : new BlockIoException(Errno.EIO, String.valueOf(e.getMessage()), e);
    }
}
