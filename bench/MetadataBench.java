import com.google.inject.Guice;
import com.google.inject.Key;
import com.google.inject.Stage;
import com.google.inject.TypeLiteral;
import io.tiercache.core.inject.PluginModule;
import io.tiercache.core.plugin.PluginCatalog;
import io.tiercache.core.tools.CacheChecker;
import io.tiercache.core.tools.CheckOptions;
import io.tiercache.core.tools.Progress;
import io.tiercache.core.tools.Restorer;
import io.tiercache.core.tools.ToolDevice;
import io.tiercache.core.tools.XmlImageReader;
import io.tiercache.spi.block.CacheBlock;
import io.tiercache.spi.block.OriginBlock;
import io.tiercache.spi.metadata.CacheMetadata;
import io.tiercache.spi.metadata.MetadataFormat;
import io.tiercache.spi.metadata.OpenOptions;
import io.tiercache.spi.metadata.PolicyIdentity;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.BitSet;
import java.util.Map;
import java.util.Random;

/**
 * The metadata benchmark of issue 3 (run by metadata-bench.sh with the packaged lib/ and plugins/):
 * one million mappings — restore from XML, open + load every mapping, commit after 1,000 changed
 * mappings — in formats 1 and 2, with the time and the heap of each step. Heap: the peak of the heap
 * pools during the step (an upper bound: pools peak at different moments), what stays reachable
 * after it (after a full GC), and the bytes the step allocated.
 */
public final class MetadataBench {
    private static final long CACHE_BLOCKS = 1L << 20;
    private static final int BLOCK_SECTORS = 128;
    private static final PolicyIdentity SMQ = new PolicyIdentity("smq", 2, 0, 0, 4);

    public static void main(String[] args) throws Exception {
        Path plugins = Path.of(args[0]);
        long mappings = args.length > 1 ? Long.parseLong(args[1]) : 1_000_000;
        Path work = Files.createTempDirectory("metadata-bench");
        Path xml = work.resolve("image.xml");
        BitSet mapped = writeXml(xml, mappings);
        System.out.printf("%,d mappings in %,d cache blocks; XML %,d bytes; -Xmx %,d MiB%n", mappings, CACHE_BLOCKS,
                Files.size(xml), Runtime.getRuntime().maxMemory() >> 20);
        Map<String, MetadataFormat> formats = Guice.createInjector(Stage.PRODUCTION,
                new PluginModule(PluginCatalog.load(plugins)))
                .getInstance(Key.get(new TypeLiteral<Map<String, MetadataFormat>>() {}));
        try {
            for (int version : new int[] {1, 2, 1, 2}) {  // the first round warms the JIT up
                run(formats.get(Integer.toString(version)), version, work, xml, mapped);
            }
        } finally {
            try (var files = Files.list(work)) {
                for (Path f : files.toList()) {
                    Files.delete(f);
                }
            }
            Files.delete(work);
        }
    }

    private static void run(MetadataFormat format, int version, Path work, Path xml, BitSet mapped) throws Exception {
        Path meta = work.resolve("meta.v" + version + ".bin");
        Files.deleteIfExists(meta);
        try (RandomAccessFile f = new RandomAccessFile(meta.toFile(), "rw")) {
            f.setLength(64L << 20);
        }
        System.out.println("format " + version + ":");
        try (ToolDevice dev = ToolDevice.open(meta, true)) {
            step("restore", () -> Restorer.restore(format, dev, new XmlImageReader(xml, Progress.NONE), true));
            CacheMetadata[] md = new CacheMetadata[1];
            long[] loaded = new long[1];
            step("open", () -> md[0] = format.open(dev, new OpenOptions(BLOCK_SECTORS, false, version, false)));
            step("load all mappings", () -> md[0].loadMappings(SMQ, (o, c, d, h) -> loaded[0]++));
            step("change 1,000 mappings", () -> change(md[0], mapped));
            step("commit", () -> md[0].commit(false));
            md[0].close();
            System.out.printf("  (%,d mappings loaded)%n", loaded[0]);
            step("check (tiercache check)", () -> {
                if (!CacheChecker.check(dev, CheckOptions.FULL, Progress.NONE).passed(false)) {
                    throw new IllegalStateException("the metadata does not pass check");
                }
            });
        }
    }

    /** 500 mappings removed, 500 unmapped cache blocks mapped to new origins. */
    private static void change(CacheMetadata md, BitSet mapped) throws IOException {
        int removed = 0;
        int added = 0;
        for (int cb = 0; removed < 500 || added < 500; cb += 97) {
            if (mapped.get(cb) && removed < 500) {
                md.removeMapping(CacheBlock.of(cb));
                removed++;
            } else if (!mapped.get(cb) && added < 500) {
                md.insertMapping(CacheBlock.of(cb), OriginBlock.of(10_000_000L + cb));
                added++;
            }
        }
    }

    private interface Step {
        void run() throws Exception;
    }

    private static void step(String name, Step s) throws Exception {
        var memory = ManagementFactory.getMemoryMXBean();
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        System.gc();
        long before = memory.getHeapMemoryUsage().getUsed();
        var pools = ManagementFactory.getMemoryPoolMXBeans().stream().filter(p -> p.getType() == MemoryType.HEAP).toList();
        pools.forEach(MemoryPoolMXBean::resetPeakUsage);
        long allocated = threads.getCurrentThreadAllocatedBytes();
        long t = System.nanoTime();
        s.run();
        long nanos = System.nanoTime() - t;
        allocated = threads.getCurrentThreadAllocatedBytes() - allocated;
        long peak = pools.stream().mapToLong(p -> p.getPeakUsage().getUsed()).sum();
        System.gc();
        long after = memory.getHeapMemoryUsage().getUsed();
        System.out.printf("  %-24s %8.1f ms   heap peak %6.1f MiB, retained %+6.1f MiB, allocated %7.1f MiB%n", name,
                nanos / 1e6, peak / 1048576.0, (after - before) / 1048576.0, allocated / 1048576.0);
    }

    /** One million mappings (a quarter dirty) with random hints, spread over 2^20 cache blocks. */
    private static BitSet writeXml(Path xml, long mappings) throws IOException {
        Random r = new Random(1);
        BitSet mapped = new BitSet();
        while (mapped.cardinality() < mappings) {
            mapped.set(r.nextInt((int) CACHE_BLOCKS));
        }
        byte[] hint = new byte[4];
        try (BufferedWriter w = Files.newBufferedWriter(xml)) {
            w.write("<superblock uuid=\"\" block_size=\"" + BLOCK_SECTORS + "\" nr_cache_blocks=\"" + CACHE_BLOCKS
                    + "\" policy=\"smq\" hint_width=\"4\">\n  <mappings>\n");
            for (int cb = mapped.nextSetBit(0); cb >= 0; cb = mapped.nextSetBit(cb + 1)) {
                w.write("    <mapping cache_block=\"" + cb + "\" origin_block=\"" + (3L * cb + 1) + "\" dirty=\""
                        + (r.nextInt(4) == 0) + "\"/>\n");
            }
            w.write("  </mappings>\n  <hints>\n");
            for (int cb = mapped.nextSetBit(0); cb >= 0; cb = mapped.nextSetBit(cb + 1)) {
                r.nextBytes(hint);
                w.write("    <hint cache_block=\"" + cb + "\" data=\"" + Base64.getEncoder().encodeToString(hint) + "\"/>\n");
            }
            w.write("  </hints>\n</superblock>");
        }
        return mapped;
    }
}
