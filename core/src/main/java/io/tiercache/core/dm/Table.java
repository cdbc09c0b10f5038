package io.tiercache.core.dm;

import io.tiercache.spi.block.BlockIoException;
import io.tiercache.spi.block.Errno;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A constructed table: targets that tile the device from sector 0 without gaps. Immutable once
 * built; the device swaps whole tables. {@link #destroy()} runs every target's dtr and closes the
 * devices the targets opened.
 */
public final class Table {
    private static final Logger LOG = LoggerFactory.getLogger("device-mapper");

    /** A target in place, with the line it was built from (for {@code table}). */
    public record Entry(TargetSpec spec, Target target) {
        long startByte() {
            return spec.start() * 512;
        }

        long endByte() {
            return (spec.start() + spec.length()) * 512;
        }
    }

    private final List<Entry> entries;
    private final List<AutoCloseable> openedDevices;
    private final long sizeBytes;
    private final boolean reportsZeroes;

    Table(List<Entry> entries, List<AutoCloseable> openedDevices) {
        this.entries = List.copyOf(entries);
        this.openedDevices = List.copyOf(openedDevices);
        Entry last = this.entries.getLast();
        this.sizeBytes = last.endByte();
        this.reportsZeroes = this.entries.stream().anyMatch(e -> e.target().reportsZeroes());
    }

    /** Whether some target of this table may report zeroes or holes. */
    boolean reportsZeroes() {
        return reportsZeroes;
    }

    public List<Entry> entries() {
        return entries;
    }

    /** Names of the tiercache devices this table stacks on (its targets opened them by name). */
    java.util.Set<String> lowerDevices() {
        java.util.Set<String> names = new java.util.HashSet<>();
        for (AutoCloseable c : openedDevices) {
            if (c instanceof DeviceHandle h) {
                names.add(h.name());
            }
        }
        return names;
    }

    public long sizeSectors() {
        return sizeBytes / 512;
    }

    public long sizeBytes() {
        return sizeBytes;
    }

    /** Sends a request to the target(s) it covers, split at target boundaries. */
    void map(Bio bio) throws IOException {
        if (bio.op() == Bio.Op.FLUSH) {
            for (Entry e : entries) {
                e.target().map(bio);
            }
            return;
        }
        long off = bio.offset();
        long end = off + bio.length();
        if (off < 0 || end > sizeBytes || end < off) {
            Errno errno = bio.op() == Bio.Op.READ ? Errno.EINVAL : Errno.ENOSPC;
            throw new BlockIoException(errno, "request [" + off + ", " + end + ") beyond device end " + sizeBytes);
        }
        if (entries.size() == 1) {
            entries.getFirst().target().map(bio);
            return;
        }
        for (Entry e : entries) {
            long from = Math.max(off, e.startByte());
            long to = Math.min(end, e.endByte());
            if (from < to) {
                e.target().map(bio.slice(from - off, to - from, from - e.startByte()));
            }
        }
    }

    void presuspend() {
        entries.forEach(e -> e.target().presuspend());
    }

    void postsuspend() {
        entries.forEach(e -> e.target().postsuspend());
    }

    void preresume() throws DmException {
        for (Entry e : entries) {
            e.target().preresume();
        }
    }

    void resume() {
        entries.forEach(e -> e.target().resume());
    }

    /** Runs every dtr, then closes the devices the targets opened (dm_put_device). */
    void destroy() {
        for (Entry e : entries) {
            try {
                e.target().dtr();
            } catch (RuntimeException ex) {
                LOG.error("device-mapper: table: {} destructor failed", e.spec().type(), ex);
            }
        }
        closeAll(openedDevices);
    }

    static void closeAll(List<AutoCloseable> devices) {
        for (AutoCloseable c : devices.reversed()) {
            try {
                c.close();
            } catch (Exception ex) {
                LOG.warn("device-mapper: closing a table device failed: {}", ex.toString());
            }
        }
    }

    /** Builds a table from parsed lines, constructing each target; on failure nothing stays open. */
    static Table build(String device, List<TargetSpec> specs, TargetRegistry types, DeviceResolver resolver,
            Runnable eventSink) throws DmException {
        if (specs.isEmpty()) {
            throw logged(Errno.EINVAL, "device-mapper: ioctl: " + device + ": table has no targets");
        }
        List<Entry> built = new ArrayList<>();
        List<AutoCloseable> opened = new ArrayList<>();
        long next = 0;
        try {
            for (TargetSpec spec : specs) {
                if (spec.length() == 0) {
                    throw logged(Errno.EINVAL, "device-mapper: table: " + device + ": zero-length target");
                }
                TargetType type = types.find(spec.type()).orElseThrow(() -> logged(Errno.EINVAL,
                        "device-mapper: table: " + device + ": " + spec.type() + ": unknown target type"));
                if (spec.start() != next) {
                    throw logged(Errno.EINVAL,
                            "device-mapper: table: " + device + ": " + spec.type() + ": Gap in table");
                }
                next = spec.start() + spec.length();
                var ctx = new Context(device, spec, resolver, opened, eventSink);
                try {
                    built.add(new Entry(spec, type.construct(ctx, spec.args())));
                } catch (TargetException e) {
                    throw logged(e.errno(),
                            "device-mapper: table: " + device + ": " + spec.type() + ": " + e.getMessage());
                }
            }
        } catch (DmException | RuntimeException e) {
            built.reversed().forEach(en -> en.target().dtr());
            closeAll(opened);
            throw e;
        }
        return new Table(built, opened);
    }

    static DmException logged(Errno errno, String line) {
        LOG.error(line);
        return new DmException(errno, line);
    }

    /** The ctr's view of the table being built. */
    private record Context(String deviceName, TargetSpec spec, DeviceResolver resolver,
            List<AutoCloseable> opened, Runnable eventSink) implements TargetContext {
        @Override
        public long start() {
            return spec.start();
        }

        @Override
        public long length() {
            return spec.length();
        }

        @Override
        public io.tiercache.spi.block.BlockIo getDevice(String arg, String lookupError) throws TargetException {
            try {
                DeviceResolver.Opened dev = resolver.open(arg);
                opened.add(dev);
                return dev.io();
            } catch (DmException e) {
                LOG.error("device-mapper: table: {}: {}: {}", deviceName, arg, e.getMessage());
                throw new TargetException(e.errno(), lookupError);
            }
        }

        @Override
        public void requireArea(String arg, io.tiercache.spi.block.BlockIo device, long offsetSectors,
                long lengthSectors) throws DmException {
            long devSectors = device.size() / 512;
            if (offsetSectors + lengthSectors > devSectors || offsetSectors + lengthSectors < offsetSectors) {
                throw logged(Errno.EINVAL, "device-mapper: table: " + deviceName + ": " + arg
                        + " too small for target: start=" + offsetSectors + ", len=" + lengthSectors
                        + ", dev_size=" + devSectors);
            }
        }

        @Override
        public void raiseEvent() {
            eventSink.run();
        }
    }
}
