package io.tiercache.spi.metadata;

import io.tiercache.spi.block.BlockIo;
import java.io.IOException;
import org.pf4j.ExtensionPoint;

/**
 * An on-disk cache metadata format (superblock version). The full operation set of
 * dm-cache-metadata.h arrives with the persistent-data layer; this first version lets the host
 * identify formats and ask whether a device carries one of them.
 */
public interface MetadataFormat extends ExtensionPoint {
    /** The superblock version this format writes. */
    int version();

    /** True if the device's superblock is this format's. */
    boolean recognises(BlockIo metadataDevice) throws IOException;
}
