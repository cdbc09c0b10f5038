package io.tiercache.core.cache;

import io.tiercache.core.dm.DeviceHandle;
import io.tiercache.core.dm.DeviceMapper;
import io.tiercache.core.dm.DmException;
import io.tiercache.core.dm.TargetRegistry;
import io.tiercache.core.dm.targets.ErrorTarget;
import io.tiercache.core.dm.targets.FlakeyTarget;
import io.tiercache.core.dm.targets.LinearTarget;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Target-semantics §10's fixture F, in process: three files (metadata zeroed, cache, origin stamped
 * with a pattern) under a test folder, and a simulated daemon ({@link Proc}) that stacks a
 * {@code probe} device on each file ({@code m}, {@code c}, {@code o}) and builds {@code cache}
 * tables on them through a real {@link DeviceMapper}, with the real policies and formats. A crash
 * is a process whose probes are killed (nothing it does afterwards reaches the files) and that is
 * then thrown away without a clean stop.
 */
final class CacheStack {
    static final int SECTOR = 512;
    /** Short periods for tests that wait for idleness; behaviour is the kernel's otherwise. */
    static final CacheTuning FAST = new CacheTuning(Duration.ofMillis(100), Duration.ofMillis(300), 128);

    static {
        // Block-sized byte arrays: a failed comparison should not print a megabyte.
        org.assertj.core.api.Assertions.setMaxElementsForPrinting(48);
    }

    final Path meta;
    final Path cache;
    final Path origin;
    final long originSectors;
    final long blockSectors;

    private CacheStack(Path dir, long metaBytes, long cacheBytes, long originBytes, long blockSectors)
            throws IOException {
        this.meta = sized(dir.resolve("meta"), metaBytes);
        this.cache = sized(dir.resolve("cache"), cacheBytes);
        this.origin = sized(dir.resolve("origin"), originBytes);
        this.originSectors = originBytes / SECTOR;
        this.blockSectors = blockSectors;
        stampOrigin();
    }

    /** Fixture F: 4 MiB metadata, 64 MiB cache, 128 MiB origin, 64 KiB blocks (1024 / 2048 blocks). */
    static CacheStack f(Path dir) throws IOException {
        return new CacheStack(dir, 4 << 20, 64 << 20, 128 << 20, 128);
    }

    /** A smaller stack with the same block size: 8 MiB cache (128 blocks), 16 MiB origin (256 blocks). */
    static CacheStack small(Path dir) throws IOException {
        return new CacheStack(dir, 4 << 20, 8 << 20, 16 << 20, 128);
    }

    static CacheStack of(Path dir, long metaBytes, long cacheBytes, long originBytes, long blockSectors)
            throws IOException {
        return new CacheStack(dir, metaBytes, cacheBytes, originBytes, blockSectors);
    }

    private static Path sized(Path p, long bytes) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(p.toFile(), "rw")) {
            f.setLength(bytes);
        }
        return p;
    }

    long blockBytes() {
        return blockSectors * SECTOR;
    }

    /** The table line {@code 0 <origin sectors> cache m c o <block> <rest>}. */
    String table(String rest) {
        return "0 " + originSectors + " cache m c o " + blockSectors + " " + rest;
    }

    /** Every origin sector holds its own sector number, scrambled, as little-endian longs. */
    static byte[] pattern(long offset, int len) {
        long first = offset & ~7L;
        int words = (int) ((offset + len - first + 7) / 8);
        ByteBuffer b = ByteBuffer.allocate(words * 8).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < words; i++) {
            long pos = first + 8L * i;
            b.putLong(pos / SECTOR * 0x9E3779B97F4A7C15L);
        }
        return java.util.Arrays.copyOfRange(b.array(), (int) (offset - first), (int) (offset - first) + len);
    }

    private void stampOrigin() throws IOException {
        try (FileChannel ch = FileChannel.open(origin, StandardOpenOption.WRITE)) {
            long size = ch.size();
            for (long off = 0; off < size; off += 1 << 20) {
                int n = (int) Math.min(1 << 20, size - off);
                ch.write(ByteBuffer.wrap(pattern(off, n)), off);
            }
        }
    }

    static byte[] filled(int len, int value) {
        byte[] b = new byte[len];
        java.util.Arrays.fill(b, (byte) value);
        return b;
    }

    static byte[] fileBytes(Path file, long offset, int len) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer b = ByteBuffer.allocate(len);
            while (b.hasRemaining() && ch.read(b, offset + b.position()) >= 0) {
                // read fully
            }
            return b.array();
        }
    }

    /** Zeroes the metadata file's first 4 KiB, so that the next open formats it. */
    void zeroMetadata() throws IOException {
        writeFile(meta, 0, new byte[4096]);
    }

    static void writeFile(Path file, long offset, byte[] data) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(data), offset);
        }
    }

    Proc process() throws DmException {
        return new Proc(FAST);
    }

    Proc process(CacheTuning tuning) throws DmException {
        return new Proc(tuning);
    }

    /** A simulated daemon: its own device mapper, metadata registry and probes. */
    final class Proc implements AutoCloseable {
        final ProbeTarget.Type probes = new ProbeTarget.Type();
        final SharedMetadata shared;
        final DeviceMapper dm;

        Proc(CacheTuning tuning) throws DmException {
            SiblingPlugins plugins = SiblingPlugins.get();
            shared = new SharedMetadata(plugins.metadataFormats());
            CacheTargetType type = new CacheTargetType(plugins.policyRegistry(), shared, tuning, InstantSource.system());
            dm = new DeviceMapper(new TargetRegistry(Map.of("linear", new LinearTarget.Type(), "error",
                    new ErrorTarget.Type(), "flakey", new FlakeyTarget.Type(), "probe", probes, "cache", type)));
            dm.create("m", Optional.of("0 " + size(meta) + " probe " + meta));
            dm.create("c", Optional.of("0 " + size(cache) + " probe " + cache));
            dm.create("o", Optional.of("0 " + size(origin) + " probe " + origin));
        }

        private static long size(Path p) {
            return p.toFile().length() / SECTOR;
        }

        ProbeTarget.Probe probe(String dev) {
            return probes.probe(dev);
        }

        void create(String rest) throws DmException {
            dm.create("cache", Optional.of(table(rest)));
        }

        void reload(String rest) throws DmException {
            dm.load("cache", table(rest));
        }

        Status status() throws DmException {
            return Status.parse(dm.status("cache").getFirst());
        }

        long events() throws DmException {
            return dm.info("cache").eventNr();
        }

        byte[] read(long offset, int len) throws IOException {
            try (DeviceHandle h = handle()) {
                ByteBuffer b = ByteBuffer.allocate(len);
                h.read(b, offset);
                return b.array();
            }
        }

        void write(long offset, byte[] data) throws IOException {
            write(offset, data, 0);
        }

        void write(long offset, byte[] data, int flags) throws IOException {
            try (DeviceHandle h = handle()) {
                h.write(ByteBuffer.wrap(data), offset, flags);
            }
        }

        void flush() throws IOException {
            try (DeviceHandle h = handle()) {
                h.flush();
            }
        }

        void discard(long offset, long len) throws IOException {
            try (DeviceHandle h = handle()) {
                h.discard(offset, len);
            }
        }

        DeviceHandle handle() throws IOException {
            return dm.openForIo("cache").orElseThrow(() -> new IOException("no cache device"));
        }

        /** I/O the three devices have seen so far. */
        long deviceIo() {
            return probe("m").total() + probe("c").total() + probe("o").total();
        }

        /** SIGKILL: from now on nothing reaches the files; then tear down without anything written. */
        void crash() {
            probes.killAll();
            close();
        }

        /** Removes every device (a clean stop if the probes are alive). */
        @Override
        public void close() {
            List<String> names = new ArrayList<>(dm.names());
            names.sort((a, b) -> a.equals("cache") ? -1 : b.equals("cache") ? 1 : 0);
            for (String n : names) {
                try {
                    dm.remove(n);
                } catch (DmException e) {
                    // already gone
                }
            }
        }
    }
}
