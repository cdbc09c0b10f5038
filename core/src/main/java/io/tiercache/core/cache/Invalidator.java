package io.tiercache.core.cache;

import io.tiercache.spi.block.BlockIoException;
import io.tiercache.spi.block.Errno;
import io.tiercache.spi.policy.CachePolicy;
import java.io.IOException;

/**
 * Removing mappings without writing anything back: a write hit in passthrough mode (with the 2026
 * semantics of target-semantics §4.3.1) and the {@code invalidate_cblocks} message (§3).
 *
 * <p>A passthrough write to a cached block must never reach the origin while the mapping still
 * exists on disk: after a crash the stale cache block would win. So the request takes the block's
 * exclusive lock, waits for readers to drain, removes the mapping from the policy and the metadata,
 * waits for that removal to be committed, and only then writes the origin. A writer that finds
 * another invalidation under way waits for it and goes through the map path again (it will then
 * miss); before the fix it failed with EIO.
 */
final class Invalidator {
    private final BioPrison prison;
    private final CachePolicy policy;
    private final BackgroundGate gate;
    private final MetadataOps ops;
    private final Committer committer;
    private final DiscardSet discards;
    private final CacheDevices devices;
    private final long blockBytes;
    private final CacheLog log;

    Invalidator(BioPrison prison, CachePolicy policy, BackgroundGate gate, MetadataOps ops, Committer committer,
            DiscardSet discards, CacheDevices devices, long blockBytes, CacheLog log) {
        this.prison = prison;
        this.policy = policy;
        this.gate = gate;
        this.ops = ops;
        this.committer = committer;
        this.discards = discards;
        this.devices = devices;
        this.blockBytes = blockBytes;
        this.log = log;
    }

    /**
     * A passthrough write that hit {@code cblock}; the caller dropped its shared lock and counted a
     * demotion.
     *
     * @return false if the request must be mapped again (another writer was invalidating the block)
     */
    boolean writeHit(Piece p, long cblock) throws IOException {
        long oblock = p.oblock();
        if (!gate.tryBegin()) {
            throw new BlockIoException(Errno.EIO, "invalidation refused: the cache is suspending");
        }
        try {
            if (!prison.tryLockExclusive(oblock, BioPrison.READ_WRITE_LEVEL)) {
                prison.awaitNoExclusive(oblock);
                return false;
            }
            try {
                prison.quiesce(oblock);
                invalidate(cblock);
                committer.commitIfChanged();
                devices.writeOrigin(p.buffer(), p.originOffset(blockBytes), p.flags());
                discards.clearOblock(oblock);
                return true;
            } finally {
                prison.unlockExclusive(oblock);
            }
        } finally {
            gate.end();
        }
    }

    /**
     * Drops {@code cblock} from the policy and the metadata (the kernel's invalidate_cblock); an
     * unmapped block is fine. Not committed here.
     */
    void invalidate(long cblock) throws IOException {
        if (policy.invalidateMapping(cblock)) {
            try {
                ops.removeMapping(cblock);
            } catch (IOException e) {
                log.error("invalidation failed; couldn't update on disk metadata");
                throw e;
            }
        }
    }
}
