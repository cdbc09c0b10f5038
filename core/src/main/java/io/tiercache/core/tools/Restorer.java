package io.tiercache.core.tools;

import io.tiercache.spi.block.BlockIo;
import io.tiercache.spi.block.BlockIoException;
import io.tiercache.spi.block.Errno;
import io.tiercache.spi.metadata.MetadataFormat;
import io.tiercache.spi.metadata.MetadataImage;
import io.tiercache.spi.pdata.BlockManager;
import java.io.IOException;

/**
 * Writes an image onto a metadata device through a format plugin, as {@code cache_restore} does,
 * whatever the device held before.
 *
 * <p>Block 0 is zeroed first (and flushed): a format only writes fresh metadata on a blank device,
 * and if the image turns out to be bad half-way the device is left plainly unformatted — never
 * the old superblock over half-overwritten blocks.
 */
public final class Restorer {
    /** Superblock, space map index, a bitmap and one leaf per structure: below this nothing fits. */
    private static final long MIN_BLOCKS = 16;

    private Restorer() {}

    public static void restore(MetadataFormat format, BlockIo dev, MetadataImage.Source image, boolean clean)
            throws IOException {
        if (dev.size() < MIN_BLOCKS * BlockManager.BLOCK_SIZE) {
            throw new BlockIoException(Errno.ENOSPC, "the output is too small: " + dev.size() + " bytes, at least "
                    + MIN_BLOCKS * BlockManager.BLOCK_SIZE + " are needed ('tiercache metadata-size' estimates)");
        }
        dev.writeZeroes(0, BlockManager.BLOCK_SIZE, BlockIo.FUA);
        dev.flush();
        format.restore(dev, image, clean);
    }
}
