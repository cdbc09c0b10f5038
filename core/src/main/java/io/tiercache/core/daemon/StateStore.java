package io.tiercache.core.daemon;

import io.tiercache.core.dm.DeviceMapper;
import io.tiercache.core.dm.DmException;
import io.tiercache.core.dm.TargetSpec;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps each device's live table in {@code <state>/devices/<name>.table}, so that a restarted
 * daemon brings its devices back, as a system's activation scripts would re-create dm devices at
 * boot. Written when a table goes live, deleted when the device is removed.
 */
public final class StateStore implements DeviceMapper.DeviceListener {
    private static final Logger LOG = LoggerFactory.getLogger(StateStore.class);
    private final Path root;
    private final Path dir;
    private java.nio.channels.FileChannel lockChannel;

    @Inject
    public StateStore(DaemonConfig config) {
        this.root = config.state();
        this.dir = root.resolve("devices");
    }

    /**
     * Takes the state folder for this process, so that a second daemon started by mistake cannot
     * re-create (and then suspend) the devices of the one already running. Held until exit.
     */
    public synchronized void lock() throws IOException {
        if (lockChannel != null) {
            return;
        }
        Files.createDirectories(root);
        var ch = java.nio.channels.FileChannel.open(root.resolve("daemon.lock"),
                java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.WRITE);
        if (ch.tryLock() == null) {
            ch.close();
            throw new IOException("state folder " + root + " is in use by another tiercache daemon");
        }
        lockChannel = ch;
    }

    @Override
    public void resumed(String name, List<TargetSpec> liveTable) {
        String text = liveTable.stream().map(TargetSpec::line).collect(Collectors.joining("\n", "", "\n"));
        try {
            Files.createDirectories(dir);
            Path tmp = dir.resolve(name + ".table.tmp");
            Files.writeString(tmp, text);
            Files.move(tmp, dir.resolve(name + ".table"), StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            LOG.error("could not record the table of {} in {}: {}", name, dir, e.toString());
        }
    }

    @Override
    public void removed(String name) {
        try {
            Files.deleteIfExists(dir.resolve(name + ".table"));
        } catch (IOException e) {
            LOG.error("could not forget the table of {}: {}", name, e.toString());
        }
    }

    /**
     * Re-creates the recorded devices. A table may name another device, so devices that fail are
     * retried while others keep succeeding; what still fails is logged and left on disk.
     */
    public void restore(DeviceMapper dm) {
        Map<String, String> pending = read();
        boolean progress = true;
        Map<String, DmException> failures = new TreeMap<>();
        while (!pending.isEmpty() && progress) {
            progress = false;
            failures.clear();
            for (var e : new ArrayList<>(pending.entrySet())) {
                try {
                    dm.create(e.getKey(), Optional.of(e.getValue()));
                    pending.remove(e.getKey());
                    progress = true;
                    LOG.info("restored device {}", e.getKey());
                } catch (DmException ex) {
                    failures.put(e.getKey(), ex);
                }
            }
        }
        failures.forEach((name, ex) -> LOG.error("could not restore device {}: {} ({})", name, ex.getMessage(),
                ex.errno().text()));
    }

    private Map<String, String> read() {
        Map<String, String> tables = new TreeMap<>();
        if (!Files.isDirectory(dir)) {
            return tables;
        }
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(p -> p.getFileName().toString().endsWith(".table")).toList()) {
                String name = f.getFileName().toString();
                tables.put(name.substring(0, name.length() - ".table".length()), Files.readString(f));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read device state in " + dir, e);
        }
        return tables;
    }
}
