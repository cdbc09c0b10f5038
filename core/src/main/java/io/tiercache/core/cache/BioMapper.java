package io.tiercache.core.cache;

import io.tiercache.core.dm.Bio;
import io.tiercache.core.policy.PolicyViolationException;
import io.tiercache.spi.block.BlockIoException;
import io.tiercache.spi.block.Errno;
import io.tiercache.spi.policy.CachePolicy;
import io.tiercache.spi.policy.Direction;
import io.tiercache.spi.policy.Lookup;
import io.tiercache.spi.policy.PolicyWork;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The I/O path of the cache target (target-semantics §4, the kernel's {@code cache_map} and
 * {@code map_bio}), synchronous on the caller's thread. Reads and writes are split at block
 * boundaries; each piece takes its block's shared lock, asks the policy, and goes to the cache, the
 * origin or both according to the io mode:
 *
 * <pre>
 *                writeback            writethrough              passthrough
 * read hit       cache                cache                     origin (mapping kept)
 * read miss      origin               origin                    origin
 * write hit      cache, dirty         clean: origin + cache     invalidate, then origin
 *                                     dirty: cache
 * write miss     origin, or overwrite origin                    origin
 *                promotion
 * </pre>
 *
 * A FUA write is mapped, then waits for a metadata commit, then is issued with FUA. A flush commits
 * and flushes both devices. A discard marks the discard blocks it covers and is passed down. The
 * partial tail block is never cached. In fail mode every request fails.
 */
final class BioMapper {
    /** Write-zeroes becomes ordinary writes of zeroes (the cache target does not support it). */
    private static final ByteBuffer ZEROES = ByteBuffer.allocateDirect(1 << 20).asReadOnlyBuffer();

    private final IoMode mode;
    private final CacheGeometry geometry;
    private final long blockBytes;
    private final boolean discardPassdown;
    private final BioPrison prison;
    private final CachePolicy policy;
    private final DirtySet dirty;
    private final DiscardSet discards;
    private final CacheDevices devices;
    private final Committer committer;
    private final CacheStats stats;
    private final IoTracker io;
    private final MetadataModes modes;
    private final Migrations migrations;
    private final Invalidator invalidator;
    private final BackgroundGate gate;
    private final MigrationWorker worker;
    private final AtomicBoolean needTick = new AtomicBoolean();

    BioMapper(IoMode mode, CacheGeometry geometry, boolean discardPassdown, BioPrison prison, CachePolicy policy,
            DirtySet dirty, DiscardSet discards, CacheDevices devices, Committer committer, CacheStats stats,
            IoTracker io, MetadataModes modes, Migrations migrations, Invalidator invalidator, BackgroundGate gate,
            MigrationWorker worker) {
        this.mode = mode;
        this.geometry = geometry;
        this.blockBytes = geometry.blockBytes();
        this.discardPassdown = discardPassdown;
        this.prison = prison;
        this.policy = policy;
        this.dirty = dirty;
        this.discards = discards;
        this.devices = devices;
        this.committer = committer;
        this.stats = stats;
        this.io = io;
        this.modes = modes;
        this.migrations = migrations;
        this.invalidator = invalidator;
        this.gate = gate;
        this.worker = worker;
    }

    /** At resume: the next request carries the tick mark (§4.9). */
    void armTick() {
        needTick.set(true);
    }

    void map(Bio bio) throws IOException {
        if (modes.mode() == MetadataMode.FAIL) {
            throw new BlockIoException(Errno.EIO, "cache is in fail mode");
        }
        switch (bio.op()) {
            case FLUSH -> committer.flush();
            case DISCARD -> discard(bio.offset(), bio.length());
            case READ, WRITE -> split(bio.op() == Bio.Op.WRITE, bio.offset(), bio.length(), bio.data(), bio.flags());
            case WRITE_ZEROES -> writeZeroes(bio.offset(), bio.length(), bio.flags());
        }
    }

    /**
     * A hint that {@code [offset, offset + length)} will be read soon (NBD's {@code CMD_CACHE};
     * dm-cache has no such request). Each block it touches is looked up as a read, so the policy counts
     * the access and, if that makes the block worth it, queues a promotion the worker carries out;
     * nothing is read here and no hit or miss is counted. Passthrough never promotes.
     */
    void prefetch(long offset, long length) throws IOException {
        if (modes.mode() == MetadataMode.FAIL || mode == IoMode.PASSTHROUGH || length <= 0) {
            return;
        }
        long first = offset / blockBytes;
        long last = Math.min((offset + length - 1) / blockBytes, geometry.originBlocks() - 1);
        boolean queued = false;
        try {
            for (long oblock = first; oblock <= last; oblock++) {
                queued |= Lookup.workQueued(policy.lookup(oblock, Direction.READ, false));
            }
        } catch (PolicyViolationException e) {
            throw policyFailed(e);
        }
        if (queued) {
            worker.wake();
        }
    }

    /** A policy broke its contract: the cache goes to fail mode and the request fails with EIO. */
    private BlockIoException policyFailed(PolicyViolationException e) {
        modes.policyFailed(e);
        return new BlockIoException(Errno.EIO, e.getMessage(), e);
    }

    private void split(boolean write, long offset, long length, ByteBuffer data, int flags) throws IOException {
        int base = data.position();
        for (long done = 0; done < length; ) {
            long pos = offset + done;
            long oblock = pos / blockBytes;
            long inBlock = pos - oblock * blockBytes;
            int len = (int) Math.min(length - done, blockBytes - inBlock);
            mapPiece(new Piece(write, oblock, inBlock, data.slice(base + (int) done, len), flags));
            done += len;
        }
    }

    private void writeZeroes(long offset, long length, int flags) throws IOException {
        for (long done = 0; done < length; ) {
            long pos = offset + done;
            long inBlock = pos % blockBytes;
            int len = (int) Math.min(length - done, blockBytes - inBlock);
            ByteBuffer z = len <= ZEROES.capacity() ? ZEROES.duplicate().limit(len) : ByteBuffer.allocate(len);
            split(true, pos, len, z, flags);
            done += len;
        }
    }

    private void mapPiece(Piece p) throws IOException {
        io.begin();
        boolean tick = needTick.get() && needTick.compareAndSet(true, false);
        try {
            if (p.oblock() >= geometry.originBlocks()) {
                issueOrigin(p); // the partial tail block: never cached, never counted
            } else {
                while (!mapOnce(p)) {
                    // re-queued: another invalidation or promotion held the block; map it again
                }
            }
        } catch (PolicyViolationException e) {
            throw policyFailed(e);
        } finally {
            io.end();
            if (tick) {
                policy.tick(false);
                needTick.set(true);
            }
        }
    }

    /** One pass of the map path; false if the request must go round again. */
    private boolean mapOnce(Piece p) throws IOException {
        long oblock = p.oblock();
        boolean write = p.write();
        prison.lockShared(oblock, write ? BioPrison.WRITE_LEVEL : BioPrison.READ_WRITE_LEVEL);
        boolean held = true;
        try {
            Direction dir = write ? Direction.WRITE : Direction.READ;
            long r;
            if (migrations.optimisable(p)) {
                r = policy.lookupWithWork(oblock, dir, true);
                if (Lookup.isPromoteNow(r)) {
                    prison.unlockShared(oblock);
                    held = false;
                    return overwrite(PolicyWork.promote(oblock, Lookup.cblock(r)), p);
                }
            } else {
                r = policy.lookup(oblock, dir, false);
            }
            if (Lookup.workQueued(r)) {
                worker.wake();
            }
            if (!Lookup.isHit(r)) {
                stats.miss(write);
                issueOrigin(p);
                return true;
            }
            stats.hit(write);
            long cblock = Lookup.cblock(r);
            if (mode == IoMode.PASSTHROUGH && write) {
                prison.unlockShared(oblock);
                held = false;
                stats.demotion();
                return invalidator.writeHit(p, cblock);
            }
            if (mode == IoMode.PASSTHROUGH) {
                issueOrigin(p);
            } else {
                issueHit(p, cblock);
            }
            return true;
        } finally {
            if (held) {
                prison.unlockShared(oblock);
            }
        }
    }

    private boolean overwrite(PolicyWork work, Piece p) throws IOException {
        if (!gate.tryBegin()) {
            policy.completeBackgroundWork(work, false);
            throw new BlockIoException(Errno.EIO, "promotion refused: the cache is suspending");
        }
        try {
            return migrations.overwrite(work, p);
        } finally {
            gate.end();
            worker.wake();
        }
    }

    /** A miss (or a passthrough read hit, or the tail): the origin; a write clears the discard state. */
    private void issueOrigin(Piece p) throws IOException {
        if (p.write()) {
            if (p.oblock() < geometry.originBlocks()) {
                discards.clearOblock(p.oblock());
            }
            commitIfFua(p);
            devices.writeOrigin(p.buffer(), p.originOffset(blockBytes), p.flags());
        } else {
            devices.readOrigin(p.buffer(), p.originOffset(blockBytes));
        }
    }

    /** A hit in writeback or writethrough. */
    private void issueHit(Piece p, long cblock) throws IOException {
        if (!p.write()) {
            devices.readCache(p.buffer(), cblock, p.offsetInBlock());
            return;
        }
        if (mode == IoMode.WRITETHROUGH && !dirty.isDirty(cblock)) {
            // Both copies; the block stays clean. Either error fails the request.
            discards.clearOblock(p.oblock());
            commitIfFua(p);
            devices.writeOrigin(p.buffer(), p.originOffset(blockBytes), p.flags());
            devices.writeCache(p.buffer(), cblock, p.offsetInBlock(), p.flags());
            return;
        }
        dirty.set(cblock);
        discards.clearOblock(p.oblock());
        commitIfFua(p);
        devices.writeCache(p.buffer(), cblock, p.offsetInBlock(), p.flags());
    }

    /** A FUA write is issued only after the metadata it relies on is committed. */
    private void commitIfFua(Piece p) throws IOException {
        if (p.fua()) {
            committer.commitIfChanged();
        }
    }

    private void discard(long offset, long length) throws IOException {
        if (geometry.oblockOf(offset) >= geometry.originBlocks()) {
            devices.discardOrigin(offset, length); // the tail block: always passed down
            return;
        }
        discards.discard(offset / CacheGeometry.SECTOR, (offset + length) / CacheGeometry.SECTOR);
        if (discardPassdown) {
            devices.discardOrigin(offset, length);
        }
    }
}
