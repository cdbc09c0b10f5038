package io.tiercache.cli;

import io.tiercache.core.daemon.DaemonConfig;
import io.tiercache.core.dm.DeviceMapper;
import io.tiercache.core.dm.DmException;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@code daemon --demo DIR}: a 64 MiB image and a linear device {@code demo} over it. */
final class DemoDevice {
    private static final Logger LOG = LoggerFactory.getLogger("tiercache");
    static final String NAME = "demo";
    static final long SIZE_BYTES = 64L << 20;

    private DemoDevice() {}

    /** Creates DIR and DIR/demo.img (zeros, sparse where the file system allows) if missing. */
    static Path prepare(Path dir) throws IOException {
        Files.createDirectories(dir);
        Path image = dir.resolve("demo.img").toAbsolutePath();
        if (!Files.exists(image)) {
            try (RandomAccessFile f = new RandomAccessFile(image.toFile(), "rw")) {
                f.setLength(SIZE_BYTES);
            }
        }
        return image;
    }

    /** The table line; the path is escaped as table arguments are (a space would split it). */
    static String table(Path image) {
        String arg = image.toString().replace("\\", "\\\\").replace(" ", "\\ ");
        return "0 " + SIZE_BYTES / 512 + " linear " + arg + " 0";
    }

    /** Creates {@code demo} unless a device of that name exists (e.g. restored from the state folder). */
    static void create(DeviceMapper dm, Path image, DaemonConfig config) {
        if (dm.find(NAME).isEmpty()) {
            try {
                dm.create(NAME, Optional.of(table(image)));
            } catch (DmException e) {
                LOG.error("could not create the demo device over {}: {}", image, e.errno().text());
                return;
            }
        }
        LOG.info("demo device ready: {}", url(config));
    }

    private static String url(DaemonConfig config) {
        if (!config.nbdListen().isBlank()) {
            return "nbd://" + config.nbdListen() + "/" + NAME;
        }
        return config.nbdSocket().map(s -> "nbd+unix:///" + NAME + "?socket=" + s).orElse("(no NBD listener)");
    }
}
