package io.tiercache.core.tools;

import io.tiercache.core.metadata.MetadataFormats;
import io.tiercache.spi.block.BlockIo;
import io.tiercache.spi.block.BlockIoException;
import io.tiercache.spi.block.Errno;
import io.tiercache.spi.metadata.MetadataFormat;
import io.tiercache.spi.pdata.BlockManager;
import io.tiercache.spi.pdata.CacheSuperblock;
import io.tiercache.spi.pdata.TransactionManager;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Map;

/**
 * The metadata formats the tools may use (the host's {@link MetadataFormats} registry of the
 * plugins' formats), with errors that say where the plugins were looked for.
 */
public final class Formats {
    private final MetadataFormats registry;
    private final String origin;

    /**
     * @param byName the format extensions by their {@code @ExtensionName} ("1", "2")
     * @param origin where they came from, for messages (e.g. the plugins folder)
     */
    public Formats(Map<String, MetadataFormat> byName, String origin) {
        this.registry = new MetadataFormats(byName);
        this.origin = origin;
    }

    /** The format that writes superblock version {@code version}. */
    public MetadataFormat forVersion(int version) throws BlockIoException {
        return registry.format(version).orElseThrow(() -> new BlockIoException(Errno.EINVAL,
                "no plugin provides metadata format " + version + available()));
    }

    /**
     * The format of the metadata on {@code dev}, named by its superblock — which must be sound: a
     * damaged one is reported as such (block, structure, fault), not as an unknown format.
     */
    public MetadataFormat forDevice(BlockIo dev) throws IOException {
        if (dev.size() < BlockManager.BLOCK_SIZE || TransactionManager.isBlank(dev)) {
            throw new BlockIoException(Errno.EINVAL, "no metadata: the device is empty or block 0 is all zero");
        }
        ByteBuffer block = ByteBuffer.allocate(BlockManager.BLOCK_SIZE).order(ByteOrder.LITTLE_ENDIAN);
        dev.read(block, 0);
        int version = CacheSuperblock.decode(block.clear()).version();
        MetadataFormat format = registry.format(version).orElseThrow(() -> new BlockIoException(Errno.EINVAL,
                "no metadata format plugin recognises the superblock (version " + version + ")" + available()));
        if (!format.recognises(dev)) {
            throw new BlockIoException(Errno.EINVAL, "the format " + version + " plugin does not recognise the superblock");
        }
        return format;
    }

    private String available() {
        return registry.versions().isEmpty() ? ": there are no format plugins in " + origin
                : "; the formats in " + origin + " are " + registry.versions();
    }
}
