package io.tiercache.core.tools;

import io.tiercache.spi.block.BlockIo;
import io.tiercache.spi.block.BlockIoException;
import io.tiercache.spi.block.DiscardBlock;
import io.tiercache.spi.block.Errno;
import io.tiercache.spi.metadata.CacheMetadata;
import io.tiercache.spi.metadata.MetadataFormat;
import io.tiercache.spi.metadata.MetadataSummary;
import io.tiercache.spi.metadata.OpenOptions;
import io.tiercache.spi.pdata.BlockManager;
import io.tiercache.spi.pdata.CacheSuperblock;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * {@code cache_writeback} without the daemon: copies every dirty cache block from the fast device
 * to its origin block, then (unless told not to) clears the dirty bits and commits the metadata
 * with the clean-shutdown flag set, so the next activation finds the cache clean.
 *
 * <p>Which blocks are dirty is the metadata format's answer ({@link CacheMetadata#loadMappings}):
 * after an unclean shutdown that is every mapped block, as the kernel would load them. Blocks whose
 * copy failed (after the retries) stay dirty. The origin is flushed before the metadata commit, so
 * a crash in between never leaves a block marked clean whose data is not on the origin.
 */
public final class Writeback {
    /**
     * @param fastOffsetSectors where the cache blocks start on the fast device
     * @param originOffsetSectors where the origin's block 0 lies on the origin device
     * @param updateMetadata clear the dirty bits and commit (false: {@code --no-metadata-update})
     * @param retries further attempts for a block whose copy failed
     */
    public record Options(long fastOffsetSectors, long originOffsetSectors, boolean updateMetadata, int retries) {}

    /** One dirty block that could not be copied. */
    public record Failure(long cblock, long oblock, String reason) {}

    /**
     * @param mapped mapped cache blocks
     * @param dirty dirty ones among them
     * @param copied dirty ones now written back
     * @param failures those that could not be
     * @param metadataUpdated the dirty bits were cleared and committed
     */
    public record Result(long mapped, long dirty, long copied, List<Failure> failures, boolean metadataUpdated) {}

    private record Dirty(long cblock, long oblock) {}

    private Writeback() {}

    public static Result run(MetadataFormat format, BlockIo metadata, BlockIo fast, BlockIo origin, Options options,
            Progress progress) throws IOException {
        ByteBuffer sbBlock = ByteBuffer.allocate(BlockManager.BLOCK_SIZE).order(ByteOrder.LITTLE_ENDIAN);
        metadata.read(sbBlock, 0);
        CacheSuperblock sb = CacheSuperblock.decode(sbBlock.clear());
        if (sb.needsCheck()) {
            throw new BlockIoException(Errno.EINVAL,
                    "the metadata has needs_check set: run 'tiercache check' (and 'repair') first");
        }
        long blockSectors = sb.dataBlockSize();
        if (blockSectors <= 0) {
            throw new BlockIoException(Errno.EINVAL, "the superblock's data block size is " + blockSectors);
        }
        CacheMetadata md = format.open(metadata,
                new OpenOptions(blockSectors, false, sb.version(), !options.updateMetadata()));
        try {
            MetadataSummary summary = md.summary();
            long cacheBlocks = md.cacheSize();
            boolean clean = md.cleanWhenOpened();
            List<Dirty> dirty = new ArrayList<>();
            BitSet mapped = new BitSet();
            md.loadMappings(summary.policy(), (oblock, cblock, isDirty, hint) -> {
                mapped.set(Math.toIntExact(cblock.value()));
                if (isDirty) {
                    dirty.add(new Dirty(cblock.value(), oblock.value()));
                }
            });
            long blockBytes = blockSectors * 512;
            ByteBuffer buf = ByteBuffer.allocate(Math.toIntExact(blockBytes));
            List<Failure> failures = new ArrayList<>();
            BitSet stillDirty = new BitSet();
            long copied = 0;
            for (int i = 0; i < dirty.size(); i++) {
                Dirty d = dirty.get(i);
                String reason = null;
                for (int attempt = 0; attempt <= options.retries(); attempt++) {
                    try {
                        copy(d, blockBytes, buf, fast, origin, options);
                        reason = null;
                        break;
                    } catch (IOException e) {
                        reason = e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
                    }
                }
                if (reason == null) {
                    copied++;
                } else {
                    failures.add(new Failure(d.cblock, d.oblock, reason));
                    stillDirty.set(Math.toIntExact(d.cblock));
                }
                progress.update(i + 1, dirty.size());
            }
            origin.flush();
            boolean updated = false;
            if (options.updateMetadata()) {
                md.setDirtyBits(cacheBlocks, stillDirty);
                if (!clean) {
                    forgetStaleState(md, summary, mapped);
                }
                md.commit(true);
                updated = true;
            }
            return new Result(mapped.cardinality(), dirty.size(), copied, List.copyOf(failures), updated);
        } catch (IOException | RuntimeException e) {
            if (options.updateMetadata()) {
                try {
                    md.abort();
                } catch (IOException | RuntimeException suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            throw e;
        } finally {
            md.close();
        }
    }

    /**
     * After an unclean shutdown the on-disk hints are stale (the kernel ignores them); committing
     * with the clean flag would make them trusted again, so they are replaced by zero hints. The
     * discard bitset is likewise stale and its blocks are all marked not discarded (always safe).
     */
    private static void forgetStaleState(CacheMetadata md, MetadataSummary summary, BitSet mapped) throws IOException {
        int hintSize = summary.policy().hintSize();
        md.writeHints(summary.policy(), cblock -> mapped.get(Math.toIntExact(cblock.value()))
                ? new byte[hintSize] : null);
        for (long d = 0; d < summary.discardBlocks(); d++) {
            md.setDiscard(new DiscardBlock(d), false);
        }
    }

    private static void copy(Dirty d, long blockBytes, ByteBuffer buf, BlockIo fast, BlockIo origin, Options options)
            throws IOException {
        long src = options.fastOffsetSectors() * 512 + d.cblock * blockBytes;
        long dst = options.originOffsetSectors() * 512 + d.oblock * blockBytes;
        // The origin's last block may be partial (the kernel's partial tail block).
        long length = Math.min(blockBytes, origin.size() - dst);
        if (length <= 0) {
            throw new BlockIoException(Errno.EINVAL, "origin block " + d.oblock + " lies beyond the origin device");
        }
        buf.clear().limit(Math.toIntExact(length));
        fast.read(buf, src);
        buf.flip();
        origin.write(buf, dst, 0);
    }
}
