package io.tiercache.core.tools;

import io.tiercache.spi.block.BlockIo;
import io.tiercache.spi.metadata.CacheMetadata;
import io.tiercache.spi.metadata.MetadataFormat;
import io.tiercache.spi.metadata.MetadataImage;
import io.tiercache.spi.metadata.OpenOptions;
import io.tiercache.spi.pdata.BlockManager;
import io.tiercache.spi.pdata.CacheSuperblock;
import io.tiercache.spi.pdata.DmArray;
import io.tiercache.spi.pdata.DmBitset;
import io.tiercache.spi.pdata.TransactionManager;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Map;

/**
 * A metadata format for the tools' tests, written on pdata directly with the writer profile of
 * spec §11.1 (the real ones are the format plugins, which core never sees). Dump is the strict
 * {@link SalvageReader}; open is not needed by the tools.
 */
public final class TestFormat implements MetadataFormat {
    private final int version;

    TestFormat(int version) {
        this.version = version;
    }

    /** Formats 1 and 2, as the plugins folder would provide them. */
    public static Formats both() {
        return new Formats(Map.of("1", new TestFormat(1), "2", new TestFormat(2)), "the tests");
    }

    @Override
    public int version() {
        return version;
    }

    @Override
    public boolean recognises(BlockIo dev) throws IOException {
        if (dev.size() < BlockManager.BLOCK_SIZE) {
            return false;
        }
        ByteBuffer b = ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN);
        dev.read(b, 0);
        return b.getLong(32) == CacheSuperblock.MAGIC && b.getInt(40) == version;
    }

    @Override
    public CacheMetadata open(BlockIo dev, OpenOptions options) {
        throw new UnsupportedOperationException("the tools' test format only dumps and restores");
    }

    @Override
    public void dump(BlockIo dev, MetadataImage.Visitor visitor) throws IOException {
        SalvageReader.open(dev, true, Progress.NONE).replay(visitor);
    }

    @Override
    public void restore(BlockIo dev, MetadataImage.Source image, boolean clean) throws IOException {
        TransactionManager tm = TransactionManager.format(dev, version, TransactionManager.Options.readWrite());
        image.replay(new Writer(tm, clean));
    }

    /** Builds the structures as the image streams past, and commits at its end. */
    private final class Writer implements MetadataImage.Visitor {
        private final TransactionManager tm;
        private final boolean clean;
        private MetadataImage.Superblock sb;
        private DmArray mappings;
        private DmArray hints;
        private DmBitset dirty;
        private DmBitset discards;

        Writer(TransactionManager tm, boolean clean) {
            this.tm = tm;
            this.clean = clean;
        }

        @Override
        public void superblock(MetadataImage.Superblock s) throws IOException {
            sb = s;
            mappings = DmArray.create(tm, "mapping array", 8);
            mappings.resize(s.nrCacheBlocks(), 0);
            hints = DmArray.create(tm, "hint array", 4);
            hints.resize(s.nrCacheBlocks(), 0);
            if (version == 2) {
                dirty = DmBitset.create(tm, "dirty bitset");
                dirty.resize(s.nrCacheBlocks(), false);
            }
            discards = DmBitset.create(tm, "discard bitset");
        }

        @Override
        public void mapping(long cblock, long oblock, boolean isDirty) throws IOException {
            mappings.set(cblock, oblock << 16 | 1 | (version == 1 && isDirty ? 2 : 0));
            if (dirty != null && isDirty) {
                dirty.set(cblock);
            }
        }

        @Override
        public void hint(long cblock, byte[] data) throws IOException {
            hints.set(cblock, data);
        }

        @Override
        public void end() throws IOException {
            long dirtyRoot = dirty == null ? 0 : dirty.root();
            long discardRoot = discards.root();
            tm.commit(prev -> prev.toBuilder()
                    .flags(clean ? CacheSuperblock.FLAG_CLEAN_SHUTDOWN : 0)
                    .version(version).policyName(sb.policy()).policyHintSize(4)
                    .policyVersion(new CacheSuperblock.PolicyVersion(2, 0, 0))
                    .mappingRoot(mappings.root()).hintRoot(hints.root()).discardRoot(discardRoot).dirtyRoot(dirtyRoot)
                    .dataBlockSize((int) sb.blockSize()).cacheBlocks((int) sb.nrCacheBlocks())
                    .build());
        }
    }
}
