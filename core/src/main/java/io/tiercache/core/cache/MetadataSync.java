package io.tiercache.core.cache;

import io.tiercache.spi.block.DiscardBlock;
import io.tiercache.spi.metadata.PolicyIdentity;
import io.tiercache.spi.policy.CachePolicy;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.function.LongSupplier;

/**
 * What postsuspend writes (the kernel's {@code sync_metadata}, target-semantics §4.8): the dirty
 * bitset, the discard bitset at the current geometry, the hit/miss counters and the policy's
 * hints, then a commit that sets the clean-shutdown flag only if all of those were written. Each
 * failure has already run the failure handling, so in practice the commit is then refused and the
 * on-disk flag simply stays clear: the next open loads every mapping dirty.
 */
final class MetadataSync {
    private final CacheLog log;
    private final MetadataOps ops;
    private final Committer committer;
    private final DirtySet dirty;
    private final DiscardSet discards;
    private final CacheGeometry geometry;
    private final CacheStats stats;
    private final CachePolicy policy;
    private final PolicyIdentity identity;
    private final LongSupplier cacheSize;

    MetadataSync(CacheLog log, MetadataOps ops, Committer committer, DirtySet dirty, DiscardSet discards,
            CacheGeometry geometry, CacheStats stats, CachePolicy policy, PolicyIdentity identity, LongSupplier cacheSize) {
        this.log = log;
        this.ops = ops;
        this.committer = committer;
        this.dirty = dirty;
        this.discards = discards;
        this.geometry = geometry;
        this.stats = stats;
        this.policy = policy;
        this.identity = identity;
        this.cacheSize = cacheSize;
    }

    /** True if everything, the clean commit included, was written. */
    boolean sync() {
        boolean dirtyOk = step("could not write dirty bitset", () -> {
            long n = cacheSize.getAsLong();
            ops.run("dm_cache_set_dirty_bits", md -> md.setDirtyBits(n, dirty.snapshot(n)));
        });
        boolean discardOk = step("could not write discard bitset", this::writeDiscards);
        try {
            ops.run("dm_cache_set_stats", md -> md.setStats(stats.persisted()));
        } catch (IOException e) {
            // logged by the failure handling; the kernel's save_stats returns nothing
        }
        boolean hintsOk = step("could not write hints", () -> ops.run("dm_cache_write_hints",
                md -> md.writeHints(identity, cb -> hint(cb.value()))));
        try {
            committer.commit(dirtyOk && discardOk && hintsOk);
            return dirtyOk && discardOk && hintsOk;
        } catch (IOException e) {
            log.error("could not write cache metadata");
            return false;
        }
    }

    @FunctionalInterface
    private interface Step {
        void run() throws IOException;
    }

    private boolean step(String error, Step step) {
        try {
            step.run();
            return true;
        } catch (IOException | RuntimeException e) {
            log.error(error);
            return false;
        }
    }

    private void writeDiscards() throws IOException {
        ops.run("dm_cache_discard_bitset_resize", md -> md.resizeDiscardBitset(geometry.discardBlockSectors(),
                geometry.discardBlocks()));
        ops.run("dm_cache_set_discard", md -> {
            for (long d = 0; d < geometry.discardBlocks(); d++) {
                md.setDiscard(DiscardBlock.of(d), discards.isDiscarded(d));
            }
        });
    }

    /** A policy hint as the 4 little-endian bytes the metadata stores; null (zeroes) when it is 0. */
    private byte[] hint(long cblock) {
        if (identity.hintSize() == 0) {
            return null;
        }
        int h = policy.hint(cblock);
        return h == 0 ? null : ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(h).array();
    }
}
