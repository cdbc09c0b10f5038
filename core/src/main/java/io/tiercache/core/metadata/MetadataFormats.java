package io.tiercache.core.metadata;

import io.tiercache.spi.block.BlockIo;
import io.tiercache.spi.block.BlockIoException;
import io.tiercache.spi.block.Errno;
import io.tiercache.spi.metadata.MetadataFormat;
import io.tiercache.spi.metadata.MetadataImage;
import io.tiercache.spi.metadata.OpenOptions;
import io.tiercache.spi.pdata.BlockManager;
import io.tiercache.spi.pdata.CacheSuperblock;
import io.tiercache.spi.pdata.TransactionManager;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The metadata formats the plugins provide, by on-disk version. An existing device is opened by
 * the format its superblock names, whatever the table asks for (as the kernel: a device keeps its
 * version); a zeroed device is formatted with the requested version. Every opened metadata object
 * comes wrapped in the host's {@link GuardedMetadata}.
 */
public final class MetadataFormats {
    private static final Logger LOG = LoggerFactory.getLogger(MetadataFormats.class);

    private final SortedMap<Integer, MetadataFormat> byVersion = new TreeMap<>();
    private final List<String> problems = new ArrayList<>();

    /** @param formats the plugins' formats keyed by their {@code @ExtensionName} ("1", "2") */
    @Inject
    public MetadataFormats(Map<String, MetadataFormat> formats) {
        new TreeMap<>(formats).forEach((name, format) -> {
            if (!name.equals(Integer.toString(format.version()))) {
                problem("metadata format '" + name + "' (" + format.getClass().getName() + ") says it is version "
                        + format.version() + "; ignored");
            } else {
                byVersion.put(format.version(), format);
            }
        });
    }

    private void problem(String message) {
        problems.add(message);
        LOG.error(message);
    }

    /** Registration problems (a name that does not match the format's version). */
    public List<String> problems() {
        return List.copyOf(problems);
    }

    /** The versions available, ascending. */
    public List<Integer> versions() {
        return List.copyOf(byVersion.keySet());
    }

    public Optional<MetadataFormat> format(int version) {
        return Optional.ofNullable(byVersion.get(version));
    }

    /**
     * The format of the metadata on {@code device}, from its superblock. Fails if the device is
     * zeroed, if block 0 is not a valid cache superblock (the message names what is wrong) or if no
     * plugin provides its version.
     */
    public MetadataFormat formatOf(BlockIo device) throws IOException {
        if (TransactionManager.isBlank(device)) {
            throw new BlockIoException(Errno.EINVAL, "metadata device is not formatted (block 0 is all zero)");
        }
        ByteBuffer block = ByteBuffer.allocate(BlockManager.BLOCK_SIZE).order(ByteOrder.LITTLE_ENDIAN);
        device.read(block, 0);
        int version = CacheSuperblock.decode(block.clear()).version();
        MetadataFormat format = require(version);
        if (!format.recognises(device)) {
            throw new BlockIoException(Errno.EINVAL, "the format " + version + " plugin does not recognise the superblock");
        }
        return format;
    }

    /**
     * Opens the metadata on {@code device}; a zeroed device is formatted with
     * {@code options.formatVersion()} if {@code options.mayFormat()}.
     */
    public GuardedMetadata open(BlockIo device, OpenOptions options) throws IOException {
        boolean format = options.mayFormat() && !options.readOnly() && TransactionManager.isBlank(device);
        MetadataFormat chosen = format ? require(options.formatVersion()) : formatOf(device);
        if (!format && options.formatVersion() != chosen.version()) {
            LOG.info("metadata device holds format {}; the table asks for {}: the device's format is kept",
                    chosen.version(), options.formatVersion());
        }
        return GuardedMetadata.guard(chosen.open(device, options), options.readOnly());
    }

    /** Streams the device's content as stored ({@code cache_dump}). */
    public void dump(BlockIo device, MetadataImage.Visitor visitor) throws IOException {
        formatOf(device).dump(device, visitor);
    }

    /** Formats {@code device} with {@code version} and writes the image ({@code cache_restore}). */
    public void restore(BlockIo device, MetadataImage.Source image, int version, boolean clean) throws IOException {
        require(version).restore(device, image, clean);
    }

    private MetadataFormat require(int version) throws BlockIoException {
        MetadataFormat format = byVersion.get(version);
        if (format == null) {
            throw new BlockIoException(Errno.EINVAL, "no metadata format plugin for version " + version
                    + " (installed: " + (byVersion.isEmpty() ? "none" : byVersion.keySet()) + ")");
        }
        return format;
    }
}
