package io.tiercache.core.metadata;

import io.tiercache.spi.block.BlockIoException;
import io.tiercache.spi.block.CacheBlock;
import io.tiercache.spi.block.DiscardBlock;
import io.tiercache.spi.block.Errno;
import io.tiercache.spi.block.OriginBlock;
import io.tiercache.spi.metadata.CacheMetadata;
import io.tiercache.spi.metadata.MetadataStats;
import io.tiercache.spi.metadata.MetadataSummary;
import io.tiercache.spi.metadata.PolicyIdentity;
import java.io.IOException;
import java.util.BitSet;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The host's guard around any format's {@link CacheMetadata}: the kernel's metadata lock and the
 * fail_io rule (target-semantics §5.5, §6), so that no format has to get them right itself.
 *
 * <ul>
 *   <li>Every call runs under one lock (formats need not be thread-safe).</li>
 *   <li>After a write operation fails, the transaction is undefined: everything but {@link #abort},
 *       {@link #setReadOnly} and {@link #close} fails (EIO) until the abort has run, so nothing
 *       half-written can ever be committed.</li>
 *   <li>If the abort fails, the object is in <em>fail_io</em>: every later call fails at once with
 *       EINVAL without touching the device; only {@link #close} is allowed.</li>
 *   <li>In read-only mode (opened read-only, needs_check found at open, or {@link #setReadOnly})
 *       write operations fail at once with EINVAL.</li>
 * </ul>
 */
public final class GuardedMetadata implements CacheMetadata {
    private static final Logger LOG = LoggerFactory.getLogger(GuardedMetadata.class);

    private final CacheMetadata delegate;
    private final ReentrantLock lock = new ReentrantLock();
    private boolean failIo;
    private boolean mustAbort;
    private boolean readOnly;
    private boolean closed;

    private GuardedMetadata(CacheMetadata delegate, boolean readOnly) {
        this.delegate = delegate;
        this.readOnly = readOnly;
    }

    /**
     * Guards freshly opened metadata. It starts read-only if opened so, or if its needs_check flag
     * is set (a format then refuses write access, spec §6).
     */
    public static GuardedMetadata guard(CacheMetadata metadata, boolean openedReadOnly) throws IOException {
        return metadata instanceof GuardedMetadata g ? g
                : new GuardedMetadata(metadata, openedReadOnly || metadata.needsCheck());
    }

    /** True once an abort has failed: the object is unusable and touches the device no more. */
    public boolean failIo() {
        return locked(() -> failIo);
    }

    /** True in metadata read-only mode. */
    public boolean readOnly() {
        return locked(() -> readOnly);
    }

    @FunctionalInterface
    private interface Op<T> {
        T run() throws IOException;
    }

    @FunctionalInterface
    private interface VoidOp {
        void run() throws IOException;
    }

    private <T> T locked(Supplier<T> s) {
        lock.lock();
        try {
            return s.get();
        } finally {
            lock.unlock();
        }
    }

    /** A query: allowed in read-only mode. */
    private <T> T read(String what, Op<T> op) throws IOException {
        lock.lock();
        try {
            checkUsable(what);
            return op.run();
        } finally {
            lock.unlock();
        }
    }

    /** A change: refused in read-only mode; its failure leaves the transaction to be aborted. */
    private void write(String what, VoidOp op) throws IOException {
        lock.lock();
        try {
            checkUsable(what);
            if (readOnly) {
                throw new BlockIoException(Errno.EINVAL, "metadata operation '" + what + "' refused: read-only mode");
            }
            try {
                op.run();
            } catch (IOException | RuntimeException e) {
                mustAbort = true;
                LOG.error("metadata operation '{}' failed: error = {}", what, e.getMessage());
                throw e;
            }
        } finally {
            lock.unlock();
        }
    }

    private void checkUsable(String what) throws BlockIoException {
        if (closed) {
            throw new BlockIoException(Errno.EINVAL, "metadata operation '" + what + "' refused: closed");
        }
        if (failIo) {
            throw new BlockIoException(Errno.EINVAL, "metadata operation '" + what
                    + "' refused: fail_io (an abort failed; the metadata can only be closed)");
        }
        if (mustAbort) {
            throw new BlockIoException(Errno.EIO, "metadata operation '" + what
                    + "' refused: an earlier operation failed; abort the transaction first");
        }
    }

    @Override
    public int version() {
        return delegate.version();
    }

    @Override
    public MetadataSummary summary() throws IOException {
        return read("summary", delegate::summary);
    }

    @Override
    public boolean cleanWhenOpened() throws IOException {
        return read("clean_when_opened", delegate::cleanWhenOpened);
    }

    @Override
    public long cacheSize() throws IOException {
        return read("cache size", delegate::cacheSize);
    }

    @Override
    public void resize(long newCacheBlocks) throws IOException {
        write("resize", () -> delegate.resize(newCacheBlocks));
    }

    @Override
    public void insertMapping(CacheBlock cblock, OriginBlock oblock) throws IOException {
        write("insert mapping", () -> delegate.insertMapping(cblock, oblock));
    }

    @Override
    public void removeMapping(CacheBlock cblock) throws IOException {
        write("remove mapping", () -> delegate.removeMapping(cblock));
    }

    @Override
    public boolean changedThisTransaction() throws IOException {
        return read("changed", delegate::changedThisTransaction);
    }

    /** A read: a visitor's refusal (EFBIG, EBUSY) does not spoil the transaction. */
    @Override
    public void loadMappings(PolicyIdentity policy, MappingVisitor visitor) throws IOException {
        read("load mappings", () -> {
            delegate.loadMappings(policy, visitor);
            return null;
        });
    }

    @Override
    public void setDirtyBits(long nrBits, BitSet dirty) throws IOException {
        write("set dirty bits", () -> delegate.setDirtyBits(nrBits, dirty));
    }

    @Override
    public void resizeDiscardBitset(long blockSectors, long nrBlocks) throws IOException {
        write("resize discard bitset", () -> delegate.resizeDiscardBitset(blockSectors, nrBlocks));
    }

    @Override
    public void setDiscard(DiscardBlock dblock, boolean discarded) throws IOException {
        write("set discard", () -> delegate.setDiscard(dblock, discarded));
    }

    @Override
    public void loadDiscards(DiscardVisitor visitor) throws IOException {
        read("load discards", () -> {
            delegate.loadDiscards(visitor);
            return null;
        });
    }

    @Override
    public MetadataStats stats() throws IOException {
        return read("stats", delegate::stats);
    }

    @Override
    public void setStats(MetadataStats stats) throws IOException {
        write("set stats", () -> delegate.setStats(stats));
    }

    @Override
    public void writeHints(PolicyIdentity policy, HintSource hints) throws IOException {
        write("write hints", () -> delegate.writeHints(policy, hints));
    }

    @Override
    public void commit(boolean cleanShutdown) throws IOException {
        write("commit", () -> delegate.commit(cleanShutdown));
    }

    /**
     * Re-opens at the last commit. Refused (EINVAL, without fail_io) in read-only mode, as the
     * kernel's; if the re-open itself fails the object enters fail_io.
     */
    @Override
    public void abort() throws IOException {
        lock.lock();
        try {
            if (closed || failIo) {
                checkUsable("abort");
            }
            if (readOnly) {
                throw new BlockIoException(Errno.EINVAL, "metadata operation 'abort' refused: read-only mode");
            }
            LOG.warn("aborting current metadata transaction");
            try {
                delegate.abort();
                mustAbort = false;
            } catch (IOException | RuntimeException e) {
                failIo = true;
                LOG.error("metadata abort failed, entering fail_io: {}", e.getMessage());
                throw e;
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public long freeMetadataBlocks() throws IOException {
        return read("free metadata blocks", delegate::freeMetadataBlocks);
    }

    @Override
    public long metadataDeviceBlocks() throws IOException {
        return read("metadata device size", delegate::metadataDeviceBlocks);
    }

    @Override
    public boolean needsCheck() throws IOException {
        return read("needs_check", delegate::needsCheck);
    }

    @Override
    public void setNeedsCheck() throws IOException {
        write("set needs_check", delegate::setNeedsCheck);
    }

    /** Always allowed (a no-op in fail_io, which is stricter still). */
    @Override
    public void setReadOnly() {
        lock.lock();
        try {
            if (!failIo && !closed) {
                delegate.setReadOnly();
            }
            readOnly = true;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void setReadWrite() throws IOException {
        lock.lock();
        try {
            checkUsable("set read-write");
            delegate.setReadWrite();
            readOnly = false;
        } finally {
            lock.unlock();
        }
    }

    /** Allowed in every state; in fail_io the format's structures are simply dropped. */
    @Override
    public void close() {
        lock.lock();
        try {
            if (!closed) {
                closed = true;
                delegate.close();
            }
        } finally {
            lock.unlock();
        }
    }
}
