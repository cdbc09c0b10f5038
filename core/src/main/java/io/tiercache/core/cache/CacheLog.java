package io.tiercache.core.cache;

import io.tiercache.spi.block.BlockIoException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Log lines in the kernel's wording, so that tests and users can grep for the same text as on
 * Linux: {@code device-mapper: cache: <dev>: <message>} from the target and
 * {@code device-mapper: cache metadata: <message>} from the metadata layer.
 */
final class CacheLog {
    private static final Logger LOG = LoggerFactory.getLogger("device-mapper");

    private final String dev;

    CacheLog(String dev) {
        this.dev = dev;
    }

    String device() {
        return dev;
    }

    void error(String message) {
        LOG.error("device-mapper: cache: {}: {}", dev, message);
    }

    void warn(String message) {
        LOG.warn("device-mapper: cache: {}: {}", dev, message);
    }

    void info(String message) {
        LOG.info("device-mapper: cache: {}: {}", dev, message);
    }

    /** A line of the metadata layer (dm-cache-metadata.c logs without the device name). */
    static void metadataError(String message) {
        LOG.error("device-mapper: cache metadata: {}", message);
    }

    /** The kernel prints errors as negative errno values. */
    static String errno(Throwable t) {
        return "-" + BlockIoException.errnoOf(t).code();
    }
}
