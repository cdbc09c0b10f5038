package io.tiercache.core.cache;

import io.tiercache.spi.block.BlockIoException;
import io.tiercache.spi.block.Errno;
import io.tiercache.spi.policy.CachePolicy;
import io.tiercache.spi.policy.PolicyWork;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The steps of one migration (target-semantics §4.4, §4.6; the kernel's {@code mg_*} functions):
 * lock, quiesce, copy, lock harder, quiesce, update the metadata, complete. Promotions copy origin to
 * cache and insert the mapping; demotions write a dirty block back, remove the mapping and wait for
 * that removal to be committed (so a reused cache block can never resurrect stale data after a
 * crash); writebacks copy a dirty block back and keep the mapping. Copies are skipped where there is
 * nothing to keep: a discarded block, a clean block going back.
 *
 * <p>An <em>overwrite promotion</em> carries the request that triggered it: a write covering the
 * whole block (or one to a discarded block) in writeback mode goes straight into the newly reserved
 * cache block, with no copy at all.
 */
final class Migrations {
    private final IoMode ioMode;
    private final long blockBytes;
    private final BioPrison prison;
    private final CachePolicy policy;
    private final DirtySet dirty;
    private final DiscardSet discards;
    private final CacheDevices devices;
    private final MetadataOps ops;
    private final Committer committer;
    private final CacheStats stats;
    private final CacheLog log;
    /** Background migrations in flight: the idle rule of the migration worker counts them. */
    final AtomicInteger ioMigrations = new AtomicInteger();

    Migrations(IoMode ioMode, long blockBytes, BioPrison prison, CachePolicy policy, DirtySet dirty,
            DiscardSet discards, CacheDevices devices, MetadataOps ops, Committer committer, CacheStats stats,
            CacheLog log) {
        this.ioMode = ioMode;
        this.blockBytes = blockBytes;
        this.prison = prison;
        this.policy = policy;
        this.dirty = dirty;
        this.discards = discards;
        this.devices = devices;
        this.ops = ops;
        this.committer = committer;
        this.stats = stats;
        this.log = log;
    }

    /** A migration the worker started (counted in {@link #ioMigrations} by the caller). */
    void background(PolicyWork work) {
        long oblock = work.oblock().value();
        if (!prison.tryLockExclusive(oblock, BioPrison.WRITE_LEVEL)) {
            complete(work, false);
            return;
        }
        try {
            prison.quiesce(oblock);
            complete(work, copyAndUpdate(work));
        } finally {
            prison.unlockExclusive(oblock);
        }
    }

    /** Copy (level 0: reads go on), then level 1 and the metadata. */
    private boolean copyAndUpdate(PolicyWork work) {
        try {
            copy(work);
        } catch (IOException e) {
            log.warn("migration " + work + " failed: copy: " + e.getMessage());
            return false;
        }
        prison.raiseExclusive(work.oblock().value(), BioPrison.READ_WRITE_LEVEL);
        prison.quiesce(work.oblock().value());
        return updateMetadata(work);
    }

    private void copy(PolicyWork work) throws IOException {
        long o = work.oblock().value();
        long c = work.cblock().value();
        if (discards.isDiscardedOblock(o)) {
            return;
        }
        if (work.op() == PolicyWork.Op.PROMOTE) {
            devices.copyToCache(o, c);
        } else if (dirty.isDirty(c)) {
            devices.copyToOrigin(c, o);
        }
    }

    private boolean updateMetadata(PolicyWork work) {
        long c = work.cblock().value();
        switch (work.op()) {
            case PROMOTE -> {
                try {
                    ops.insertMapping(c, work.oblock().value());
                } catch (IOException e) {
                    log.error("migration failed; couldn't insert mapping");
                    return false;
                }
            }
            case DEMOTE -> {
                try {
                    ops.removeMapping(c);
                } catch (IOException e) {
                    log.error("migration failed; couldn't update on disk metadata");
                    return false;
                }
                try {
                    committer.commitIfChanged();
                } catch (IOException e) {
                    return false;
                }
            }
            case WRITEBACK -> {
                // the mapping stays; only the dirty bit changes, in core
            }
        }
        return true;
    }

    /** The kernel's mg_complete for a migration without a request. */
    private void complete(PolicyWork work, boolean success) {
        long c = work.cblock().value();
        switch (work.op()) {
            case PROMOTE -> {
                discards.clearOblock(work.oblock().value());
                policy.completeBackgroundWork(work, success);
                if (success) {
                    dirty.forceClear(c);
                    stats.promotion();
                }
            }
            case DEMOTE, WRITEBACK -> {
                if (success) {
                    dirty.forceClear(c);
                    if (work.op() == PolicyWork.Op.DEMOTE) {
                        stats.demotion();
                    }
                }
                policy.completeBackgroundWork(work, success);
            }
        }
    }

    /** Whether a request may be written straight into a newly promoted block (kernel optimisable_bio). */
    boolean optimisable(Piece p) {
        return ioMode == IoMode.WRITEBACK
                && (discards.isDiscardedOblock(p.oblock()) || p.write() && p.coversBlock(blockBytes));
    }

    /**
     * Performs an overwrite promotion with {@code p} as its payload, on the request's thread. The
     * caller dropped its shared lock and holds background permission.
     *
     * @return true if the request is served; false if it must go through the map path again (the
     *     block stopped being discarded meanwhile and a plain promotion was done instead)
     * @throws IOException the request's error (the promotion failed)
     */
    boolean overwrite(PolicyWork work, Piece p) throws IOException {
        long oblock = p.oblock();
        if (!prison.tryLockExclusive(oblock, BioPrison.READ_WRITE_LEVEL)) {
            // Unreachable while the policy hands out one piece of work per block; retry rather than fail.
            policy.completeBackgroundWork(work, false);
            prison.awaitNoExclusive(oblock);
            return false;
        }
        try {
            prison.quiesce(oblock);
            if (!optimisable(p)) {
                ioMigrations.incrementAndGet();
                try {
                    complete(work, copyAndUpdate(work));
                } finally {
                    ioMigrations.decrementAndGet();
                }
                return false;
            }
            IOException error = writeThrough(work, p);
            completeOverwrite(work, error == null);
            if (error != null) {
                throw error;
            }
            return true;
        } finally {
            prison.unlockExclusive(oblock);
        }
    }

    /** The request's own I/O against the new cache block, then the mapping (committed first if FUA). */
    private IOException writeThrough(PolicyWork work, Piece p) {
        long c = work.cblock().value();
        try {
            if (p.write()) {
                devices.writeCache(p.buffer(), c, p.offsetInBlock(), p.flags());
            } else {
                devices.readCache(p.buffer(), c, p.offsetInBlock());
            }
            ops.insertMapping(c, p.oblock());
            if (p.fua()) {
                // The kernel acknowledges here without a commit (a known gap): a FUA write must be durable.
                committer.commitIfChanged();
            }
            return null;
        } catch (IOException e) {
            return e instanceof BlockIoException ? e : new BlockIoException(Errno.EIO, e.getMessage(), e);
        }
    }

    private void completeOverwrite(PolicyWork work, boolean success) {
        discards.clearOblock(work.oblock().value());
        policy.completeBackgroundWork(work, success);
        if (success) {
            dirty.forceSet(work.cblock().value());
            stats.promotion();
        }
    }
}
