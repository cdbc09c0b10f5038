package io.tiercache.format.v1;

import io.tiercache.spi.block.BlockIo;
import io.tiercache.spi.metadata.CacheMetadata;
import io.tiercache.spi.metadata.MetadataFormat;
import io.tiercache.spi.metadata.MetadataImage;
import io.tiercache.spi.metadata.OpenOptions;
import io.tiercache.spi.pdata.BlockManager;
import io.tiercache.spi.pdata.CacheSuperblock;
import io.tiercache.spi.pdata.MetadataCorruptException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * What formats 1 and 2 share: superblock, mapping and hint arrays, discard bitset, transactions,
 * dump and restore. A format names its version and says where it keeps dirty bits (the template
 * hook {@link #dirtyBits()}); format 2's plugin extends this class from format 1's plugin.
 */
public abstract class DmCacheFormat implements MetadataFormat {
    private final int version;

    protected DmCacheFormat(int version) {
        this.version = version;
    }

    /** Where this format keeps the dirty bit of a cache block. */
    protected abstract DirtyBits.Store dirtyBits();

    @Override
    public final int version() {
        return version;
    }

    /** Block 0 carries a valid cache superblock (checksum, self-location, magic) of this version. */
    @Override
    public final boolean recognises(BlockIo metadataDevice) throws IOException {
        if (metadataDevice.size() < BlockManager.BLOCK_SIZE) {
            return false;
        }
        ByteBuffer block = ByteBuffer.allocate(BlockManager.BLOCK_SIZE).order(ByteOrder.LITTLE_ENDIAN);
        metadataDevice.read(block, 0);
        try {
            return CacheSuperblock.decode(block.clear()).version() == version;
        } catch (MetadataCorruptException e) {
            return false;
        }
    }

    @Override
    public final CacheMetadata open(BlockIo metadataDevice, OpenOptions options) throws IOException {
        return new MetadataOpener(version, dirtyBits()).open(metadataDevice, options);
    }

    @Override
    public final void dump(BlockIo metadataDevice, MetadataImage.Visitor visitor) throws IOException {
        MetadataDump.dump(version, dirtyBits(), metadataDevice, visitor);
    }

    @Override
    public final void restore(BlockIo metadataDevice, MetadataImage.Source image, boolean clean) throws IOException {
        MetadataRestore.restore(version, dirtyBits(), metadataDevice, image, clean);
    }
}
