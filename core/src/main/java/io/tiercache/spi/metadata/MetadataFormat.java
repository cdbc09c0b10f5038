package io.tiercache.spi.metadata;

import io.tiercache.spi.block.BlockIo;
import java.io.IOException;
import org.pf4j.ExtensionPoint;

/**
 * An on-disk cache metadata format, registered under its superblock version ({@code "1"}, {@code
 * "2"}). The host picks the format by the version found on the device, or by the table's feature
 * arguments when it formats a zeroed device.
 */
public interface MetadataFormat extends ExtensionPoint {
    /** The superblock version this format reads and writes. */
    int version();

    /** True if the device's superblock is this format's. */
    boolean recognises(BlockIo metadataDevice) throws IOException;

    /**
     * Opens (or, if allowed and the device is zeroed, formats) the metadata. On a fresh open the
     * clean-shutdown flag is durably cleared first and its old value kept for
     * {@link CacheMetadata#cleanWhenOpened()}.
     */
    CacheMetadata open(BlockIo metadataDevice, OpenOptions options) throws IOException;

    /**
     * For {@code dump}: streams the device's content as stored (raw dirty bits and hints, whatever
     * the clean-shutdown flag says), never writing to it.
     */
    void dump(BlockIo metadataDevice, MetadataImage.Visitor visitor) throws IOException;

    /**
     * For {@code restore}: formats the device with this format and writes the image, committing
     * with the clean-shutdown flag set (as {@code cache_restore} does, unless {@code clean} is false).
     */
    void restore(BlockIo metadataDevice, MetadataImage.Source image, boolean clean) throws IOException;
}
