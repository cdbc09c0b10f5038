package io.tiercache.core.cache;

import io.tiercache.core.dm.DmException;
import io.tiercache.spi.block.BlockIo;
import io.tiercache.spi.block.BlockIoException;
import io.tiercache.spi.block.Errno;
import io.tiercache.spi.metadata.CacheMetadata;
import io.tiercache.spi.metadata.PolicyIdentity;
import io.tiercache.spi.policy.CachePolicy;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The cache target's preresume, in the exact order of target-semantics §5.2.1: the can_resume
 * checks (sized-but-not-loaded, fix (b)), the size check and metadata resize, loading the mappings
 * through the filter (shrunk origin, fix (a)), then the discards. Mappings and discards load once
 * per table instance; a plain suspend/resume of the same table only re-checks the size.
 *
 * <p>Refusals that are configuration problems (EINVAL from can_resume and can_resize, EFBIG and
 * EBUSY from the loader) leave the metadata alone; every other metadata error goes through the
 * failure handling of §6.
 */
final class Preresume {
    private final String dev;
    private final CacheLog log;
    private final IoMode mode;
    private final CacheGeometry geometry;
    private final BlockIo cacheDevice;
    private final SharedMetadata.Handle handle;
    private final MetadataModes modes;
    private final MetadataOps ops;
    private final CachePolicy policy;
    private final PolicyIdentity identity;
    private final DirtySet dirty;
    private final DiscardSet discards;
    private final AtomicBitset invalid;
    private boolean sized;
    private boolean loadedMappings;
    private boolean loadedDiscards;
    private volatile long cacheSize;

    Preresume(CacheLog log, IoMode mode, CacheGeometry geometry, BlockIo cacheDevice, SharedMetadata.Handle handle,
            MetadataModes modes, MetadataOps ops, CachePolicy policy, PolicyIdentity identity, DirtySet dirty,
            DiscardSet discards) {
        this.dev = log.device();
        this.log = log;
        this.mode = mode;
        this.geometry = geometry;
        this.cacheDevice = cacheDevice;
        this.handle = handle;
        this.modes = modes;
        this.ops = ops;
        this.policy = policy;
        this.identity = identity;
        this.dirty = dirty;
        this.discards = discards;
        this.invalid = new AtomicBitset(geometry.cacheBlocks());
        this.cacheSize = geometry.cacheBlocks();
    }

    /** The current number of cache blocks (status field 4). */
    long cacheSize() {
        return cacheSize;
    }

    void run() throws DmException {
        canResume();
        long csize = geometry.cacheBlocksOf(cacheDevice.size());
        if (!sized || csize != cacheSize) {
            canResize(csize);
            resize(csize);
            sized = true;
        }
        if (!loadedMappings) {
            loadMappings();
            loadedMappings = true;
        }
        if (!loadedDiscards) {
            loadDiscards();
            loadedDiscards = true;
        }
    }

    private void canResume() throws DmException {
        ModeSwitchChecks.refuseSizedButNotLoaded(sized, loadedMappings, modes.mode() == MetadataMode.WRITE, dev);
        ModeSwitchChecks.refusePassthroughAfterUncleanShutdown(mode, handle.metadata(), dev);
    }

    /**
     * The kernel's can_resize, plus one rule of its own: the policy was sized at construction and
     * would hand out cache blocks beyond a shrunk cache (the kernel's FIXME), so any size other
     * than the constructed one needs a table reload.
     */
    private void canResize(long csize) throws DmException {
        if (csize > cacheSize && sized) {
            throw refuse("unable to extend cache due to missing cache table reload");
        }
        if (loadedMappings) {
            long first = dirty.firstDirty(csize, cacheSize);
            if (first >= 0) {
                throw refuse("unable to shrink cache; cache block " + first + " is dirty");
            }
        }
        if (csize != geometry.cacheBlocks()) {
            throw refuse("unable to " + (csize > geometry.cacheBlocks() ? "extend" : "shrink")
                    + " cache due to missing cache table reload");
        }
    }

    private DmException refuse(String why) {
        log.error(why);
        return new DmException(Errno.EINVAL, why);
    }

    private void resize(long csize) throws DmException {
        try {
            ops.run("dm_cache_resize", md -> {
                if (md.cacheSize() != csize) {
                    md.resize(csize);
                }
            });
        } catch (IOException e) {
            log.error("could not resize cache metadata");
            throw new DmException(BlockIoException.errnoOf(e), "could not resize cache metadata", e);
        }
        cacheSize = csize;
    }

    private void loadMappings() throws DmException {
        invalid.clearAll();
        CacheMetadata md = handle.metadata();
        handle.lock().lock();
        try {
            md.loadMappings(identity, (oblock, cblock, isDirty, hint) -> {
                try {
                    loadMapping(oblock.value(), cblock.value(), isDirty, hint);
                } catch (IOException | RuntimeException e) {
                    CacheLog.metadataError("policy couldn't load cache block " + cblock.value());
                    throw e;
                }
            });
        } catch (IOException | RuntimeException e) {
            log.error("could not load cache mappings");
            Errno errno = BlockIoException.errnoOf(e);
            if (errno != Errno.EFBIG && errno != Errno.EBUSY) {
                modes.operationFailed("dm_cache_load_mappings", e);
            }
            throw new DmException(errno, e.getMessage(), e);
        } finally {
            handle.lock().unlock();
        }
        truncateOblocks();
    }

    /** The kernel's load_filtered_mapping and load_mapping. */
    private void loadMapping(long oblock, long cblock, boolean isDirty, byte[] hint) throws IOException {
        if (oblock >= geometry.originBlocks()) {
            if (isDirty) {
                log.error("unable to shrink origin; cache block " + cblock + " is dirty");
                throw new BlockIoException(Errno.EFBIG, "unable to shrink origin; cache block " + cblock + " is dirty");
            }
            invalid.set(cblock);
            return;
        }
        ModeSwitchChecks.refuseDirtyInPassthrough(mode, isDirty, dev);
        dirty.load(cblock, isDirty);
        int h = hint == null ? 0 : ByteBuffer.wrap(hint).order(ByteOrder.LITTLE_ENDIAN).getInt();
        policy.loadMapping(oblock, cblock, isDirty, h, hint != null);
    }

    /** Drops the clean mappings of origin blocks that no longer exist. */
    private void truncateOblocks() throws DmException {
        for (long c = invalid.nextSetBit(0, cacheSize); c >= 0; c = invalid.nextSetBit(c + 1, cacheSize)) {
            try {
                ops.removeMapping(c);
            } catch (IOException e) {
                log.error("invalidation failed; couldn't update on disk metadata");
                throw new DmException(BlockIoException.errnoOf(e), e.getMessage(), e);
            }
        }
    }

    private void loadDiscards() throws DmException {
        discards.clearAll();
        DiscardSet.Loader loader = discards.loader();
        try {
            ops.run("dm_cache_load_discards", md -> md.loadDiscards(
                    (blockSectors, dblock, discarded) -> loader.accept(blockSectors, dblock.value(), discarded)));
        } catch (IOException e) {
            log.error("could not load origin discards");
            throw new DmException(BlockIoException.errnoOf(e), e.getMessage(), e);
        }
        loader.finish();
    }
}
