package io.tiercache.core.dm;

import io.tiercache.core.device.FileDevice;
import io.tiercache.spi.metrics.MetricSink;
import io.tiercache.spi.block.BlockIo;
import io.tiercache.spi.block.Errno;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The device-mapper control plane: the ioctls {@code dmsetup} issues (create, load, suspend,
 * resume, remove, clear, status, table, message, info, wait), with the kernel's semantics
 * (target-semantics §5.1). Devices live here by name.
 */
@Singleton
public final class DeviceMapper implements DeviceResolver {
    private static final Logger LOG = LoggerFactory.getLogger("device-mapper");

    private final TargetRegistry types;
    private final Map<String, MappedDevice> devices = new ConcurrentSkipListMap<>();
    private final List<DeviceListener> listeners = new java.util.concurrent.CopyOnWriteArrayList<>();

    @Inject
    public DeviceMapper(TargetRegistry types) {
        this.types = types;
    }

    /** Told about tables going live and devices going away (persistence, exports). */
    public interface DeviceListener {
        default void resumed(String name, List<TargetSpec> liveTable) {}

        default void removed(String name) {}
    }

    public void addListener(DeviceListener l) {
        listeners.add(l);
    }

    public TargetRegistry types() {
        return types;
    }

    /** {@code dmsetup create NAME [--table T]}: load + resume; any failure removes the device again. */
    public void create(String name, Optional<String> table) throws DmException {
        validateName(name);
        MappedDevice dev = new MappedDevice(name);
        if (devices.putIfAbsent(name, dev) != null) {
            throw new DmException(Errno.EBUSY, "device " + name + " already exists");
        }
        if (table.isEmpty()) {
            return;
        }
        try {
            load(name, table.get());
            resume(name);
        } catch (DmException e) {
            try {
                remove(name);
            } catch (DmException again) {
                LOG.warn("device-mapper: could not revert create of {}: {}", name, again.getMessage());
            }
            throw e;
        }
    }

    /** {@code dmsetup load/reload}: builds the table into the inactive slot; the live one keeps serving. */
    public void load(String name, String tableText) throws DmException {
        MappedDevice dev = get(name);
        List<TargetSpec> specs = TableParser.parse(tableText);
        synchronized (dev.control()) {
            Table t = Table.build(name, specs, types, this, dev::raiseEvent);
            Table old = dev.setInactive(t);
            if (old != null) {
                old.destroy();
            }
        }
    }

    /** {@code dmsetup clear}: destroys the inactive table. */
    public void clear(String name) throws DmException {
        MappedDevice dev = get(name);
        synchronized (dev.control()) {
            Table old = dev.setInactive(null);
            if (old != null) {
                old.destroy();
            }
        }
    }

    /** {@code dmsetup suspend [--noflush]}. */
    public void suspend(String name, boolean noflush) throws DmException {
        MappedDevice dev = get(name);
        synchronized (dev.control()) {
            dev.suspend(noflush);
        }
    }

    /**
     * Suspends every device for a clean stop, each only after every device stacked on it: an upper
     * device's postsuspend (a cache's final metadata commit) still writes to the devices below, and
     * I/O to a suspended device would wait forever. Failures are collected, the rest carries on.
     */
    public List<DmException> suspendAll() {
        Map<String, java.util.Set<String>> lowers = new java.util.HashMap<>();
        for (MappedDevice dev : devices.values()) {
            Table t = dev.live();
            lowers.put(dev.name(), t == null ? java.util.Set.of() : t.lowerDevices());
        }
        List<DmException> failures = new ArrayList<>();
        java.util.Set<String> done = new java.util.HashSet<>();
        while (done.size() < lowers.size()) {
            List<String> ready = lowers.keySet().stream().filter(n -> !done.contains(n))
                    .filter(n -> lowers.entrySet().stream()
                            .noneMatch(e -> !done.contains(e.getKey()) && e.getValue().contains(n)))
                    .sorted().toList();
            // A cycle cannot be built (a table only names existing devices), but never spin on one.
            List<String> batch = ready.isEmpty()
                    ? lowers.keySet().stream().filter(n -> !done.contains(n)).sorted().toList() : ready;
            for (String name : batch) {
                try {
                    suspend(name, false);
                } catch (DmException e) {
                    failures.add(e);
                }
                done.add(name);
            }
        }
        return failures;
    }

    /**
     * {@code dmsetup resume}: swaps in the inactive table if there is one (suspending first, which
     * runs the old table's postsuspend), then preresume and resume. If preresume refuses, the new
     * table stays live, the old one is destroyed anyway and the device stays suspended.
     */
    public void resume(String name) throws DmException {
        MappedDevice dev = get(name);
        synchronized (dev.control()) {
            boolean swapped = false;
            if (dev.inactive() != null) {
                // A device without a live table counts as suspended too, so that a table whose
                // preresume refuses never sees I/O.
                dev.suspend(false);
                Table old = dev.swap();
                swapped = true;
                if (old != null) {
                    old.destroy();
                }
            }
            Table live = dev.live();
            if (live == null) {
                throw new DmException(Errno.EINVAL, name + ": no table to resume");
            }
            if (!swapped && !dev.isSuspended()) {
                return;
            }
            live.preresume();
            live.resume();
            dev.unsuspend();
            List<TargetSpec> specs = live.entries().stream().map(Table.Entry::spec).toList();
            listeners.forEach(l -> l.resumed(name, specs));
        }
    }

    /**
     * {@code dmsetup remove}: refused while open (EBUSY); an active device is suspended first (a
     * clean stop: postsuspend writes the metadata), then its tables are destroyed.
     */
    public void remove(String name) throws DmException {
        MappedDevice dev = get(name);
        synchronized (dev.control()) {
            if (dev.openCount() > 0) {
                throw new DmException(Errno.EBUSY, name + " is in use (open count " + dev.openCount() + ")");
            }
            if (dev.live() != null && !dev.isSuspended()) {
                dev.suspend(false);
            }
            devices.remove(name, dev);
            for (Table t : dev.markRemoved()) {
                if (t != null) {
                    t.destroy();
                }
            }
        }
        listeners.forEach(l -> l.removed(name));
    }

    /** Status (INFO) lines of the live table, {@code <start> <length> <type> <status>}. */
    public List<String> status(String name) throws DmException {
        Table t = get(name).live();
        List<String> lines = new ArrayList<>();
        if (t != null) {
            for (Table.Entry e : t.entries()) {
                lines.add(e.spec().start() + " " + e.spec().length() + " " + e.spec().type() + " "
                        + e.target().status());
            }
        }
        return lines;
    }

    /** Table lines of the live (or inactive) table, as loaded. */
    public List<String> table(String name, boolean inactive) throws DmException {
        MappedDevice dev = get(name);
        Table t = inactive ? dev.inactive() : dev.live();
        return t == null ? List.of() : t.entries().stream().map(e -> e.spec().line()).toList();
    }

    /** {@code dmsetup message NAME SECTOR WORDS...}: to the live target that holds SECTOR. */
    public String message(String name, long sector, List<String> words) throws DmException {
        MappedDevice dev = get(name);
        synchronized (dev.control()) {
            Table t = dev.live();
            if (t == null) {
                throw new DmException(Errno.EINVAL, name + ": no live table for message");
            }
            for (Table.Entry e : t.entries()) {
                if (sector >= e.spec().start() && sector < e.spec().start() + e.spec().length()) {
                    return e.target().message(words);
                }
            }
            throw new DmException(Errno.EINVAL, name + ": Target message sector outside device");
        }
    }

    public DeviceInfo info(String name) throws DmException {
        return get(name).info();
    }

    /** {@code dmsetup wait NAME [EVENT]}: until the event counter exceeds {@code after}. */
    public long await(String name, long after, long timeoutMillis) throws DmException, InterruptedException {
        return get(name).awaitEvent(after, timeoutMillis);
    }

    /** Every device's metrics (see {@link MappedDevice#report}), and how many devices there are. */
    public void report(MetricSink sink) {
        sink.gauge("tiercache_devices", "Mapped devices, with or without a live table.", devices.size());
        devices.values().forEach(d -> d.report(sink));
    }

    /** Device names, sorted. */
    public List<String> names() {
        return List.copyOf(devices.keySet());
    }

    public Optional<MappedDevice> find(String name) {
        return Optional.ofNullable(devices.get(name));
    }

    /** Opens a device for I/O from outside the tables (a frontend), counted in its open count. */
    public Optional<DeviceHandle> openForIo(String name) {
        MappedDevice dev = devices.get(name);
        if (dev == null || !dev.tryOpen()) {
            return Optional.empty();
        }
        return Optional.of(new DeviceHandle(dev));
    }

    @Override
    public Opened open(String arg) throws DmException {
        if (!arg.contains("/")) {
            DeviceHandle h = openForIo(arg).orElseThrow(
                    () -> new DmException(Errno.ENODEV, "no such device (or it has no live table): " + arg));
            return h;
        }
        try {
            FileDevice f = FileDevice.open(Path.of(arg));
            return new Opened() {
                @Override
                public BlockIo io() {
                    return f;
                }

                @Override
                public void close() {
                    f.close();
                }
            };
        } catch (IOException e) {
            Errno errno = e instanceof java.nio.file.NoSuchFileException ? Errno.ENOENT
                    : e instanceof java.nio.file.AccessDeniedException ? Errno.EPERM : Errno.EIO;
            throw new DmException(errno, "cannot open: " + errno.text(), e);
        }
    }

    private MappedDevice get(String name) throws DmException {
        MappedDevice dev = devices.get(name);
        if (dev == null) {
            throw new DmException(Errno.ENXIO, "no such device: " + name);
        }
        return dev;
    }

    private static void validateName(String name) throws DmException {
        if (name.isEmpty() || name.contains("/") || name.length() > 127 || name.equals(".") || name.equals("..")) {
            throw new DmException(Errno.EINVAL, "invalid device name '" + name + "'");
        }
    }
}
