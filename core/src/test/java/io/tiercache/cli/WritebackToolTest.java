package io.tiercache.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.tiercache.core.cache.SiblingPlugins;
import io.tiercache.core.metadata.MetadataFormats;
import io.tiercache.core.tools.Formats;
import io.tiercache.core.tools.Tools;
import io.tiercache.spi.metadata.MetadataFormat;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code tiercache writeback} as {@code cache_writeback}: dirty blocks reach the origin, the metadata ends clean. */
class WritebackToolTest {
    private static final int BLOCK = 64 << 10;

    @TempDir
    Path dir;

    /** cblock 0 -> oblock 5 clean, 1 -> 7 dirty, 3 -> 30 dirty; 16 cache blocks of 64 KiB. */
    private static final String XML = """
            <superblock uuid="" block_size="128" nr_cache_blocks="16" policy="smq" hint_width="4">
              <mappings>
                <mapping cache_block="0" origin_block="5" dirty="false"/>
                <mapping cache_block="1" origin_block="7" dirty="true"/>
                <mapping cache_block="3" origin_block="30" dirty="true"/>
              </mappings>
              <hints>
                <hint cache_block="0" data="AAAAAA=="/>
                <hint cache_block="1" data="AAAAAA=="/>
                <hint cache_block="3" data="AAAAAA=="/>
              </hints>
            </superblock>""";

    /**
     * The real format plugins (compiled from the sibling modules by the cache tests' {@code
     * SiblingPlugins}): writeback opens the metadata, which the tools' test format cannot.
     */
    static Formats realFormats(Optional<Path> plugins) {
        MetadataFormats registry = SiblingPlugins.get().metadataFormats();
        Map<String, MetadataFormat> byName = new TreeMap<>();
        for (int v : registry.versions()) {
            byName.put(Integer.toString(v), registry.format(v).orElseThrow());
        }
        return new Formats(byName, "the sibling modules");
    }

    private Path meta;
    private Path fast;
    private Path origin;

    private void fixture(boolean clean) throws Exception {
        Path xml = dir.resolve("in.xml");
        Files.writeString(xml, XML);
        meta = Tools.blankImage(dir, "meta.bin", 4);
        ToolRun r = clean ? ToolRun.run(new RestoreCommand(WritebackToolTest::realFormats), "-i", xml.toString(), "-o", meta.toString())
                : ToolRun.run(new RestoreCommand(WritebackToolTest::realFormats), "-i", xml.toString(), "-o", meta.toString(),
                        "--omit-clean-shutdown");
        assertThat(r.status()).as(r.describe()).isZero();
        fast = dir.resolve("fast.bin");
        byte[] data = new byte[16 * BLOCK];
        for (int c = 0; c < 16; c++) {
            Arrays.fill(data, c * BLOCK, (c + 1) * BLOCK, (byte) (c + 1));
        }
        Files.write(fast, data);
        origin = Tools.blankImage(dir, "origin.bin", 2); // 32 origin blocks, all zero
    }

    private ToolRun writeback(String... extra) {
        String[] base = {"--metadata-device", meta.toString(), "--origin-device", origin.toString(),
            "--fast-device", fast.toString()};
        String[] args = Arrays.copyOf(base, base.length + extra.length);
        System.arraycopy(extra, 0, args, base.length, extra.length);
        return ToolRun.run(new WritebackCommand(WritebackToolTest::realFormats), args);
    }

    private byte[] originBlock(long oblock) throws Exception {
        byte[] b = new byte[BLOCK];
        try (RandomAccessFile f = new RandomAccessFile(origin.toFile(), "r")) {
            f.seek(oblock * BLOCK);
            f.readFully(b);
        }
        return b;
    }

    private static byte[] filled(int value) {
        byte[] b = new byte[BLOCK];
        Arrays.fill(b, (byte) value);
        return b;
    }

    private String dump() {
        ToolRun d = ToolRun.run(new DumpCommand(WritebackToolTest::realFormats), meta.toString());
        assertThat(d.status()).as(d.describe()).isZero();
        return d.out();
    }

    private int flags() throws Exception {
        return ByteBuffer.wrap(Files.readAllBytes(meta)).order(ByteOrder.LITTLE_ENDIAN).getInt(4);
    }

    @Test
    void copiesDirtyBlocksAndCleansTheMetadata() throws Exception {
        fixture(true);
        ToolRun r = writeback();
        assertThat(r.status()).as(r.describe()).isZero();
        assertThat(r.out() + r.err()).isEmpty();
        assertThat(originBlock(7)).isEqualTo(filled(2));
        assertThat(originBlock(30)).isEqualTo(filled(4));
        assertThat(originBlock(5)).as("a clean block is not copied").isEqualTo(filled(0));
        String dump = dump();
        assertThat(dump).doesNotContain("dirty=\"true\"")
                .contains("<mapping cache_block=\"1\" origin_block=\"7\" dirty=\"false\"/>")
                .contains("<mapping cache_block=\"3\" origin_block=\"30\" dirty=\"false\"/>");
        assertThat(flags() & 1).as("clean shutdown").isEqualTo(1);
        ToolRun check = ToolRun.tiercache("check", meta.toString());
        assertThat(check.status()).as(check.describe()).isZero();
    }

    @Test
    void noMetadataUpdateCopiesButLeavesTheMetadataAlone() throws Exception {
        fixture(true);
        byte[] before = Files.readAllBytes(meta);
        ToolRun r = writeback("--no-metadata-update");
        assertThat(r.status()).as(r.describe()).isZero();
        assertThat(originBlock(7)).isEqualTo(filled(2));
        assertThat(originBlock(30)).isEqualTo(filled(4));
        assertThat(Files.readAllBytes(meta)).isEqualTo(before);
        assertThat(dump()).contains("origin_block=\"7\" dirty=\"true\"");
    }

    @Test
    void afterAnUncleanShutdownEveryMappingIsWrittenBack() throws Exception {
        fixture(false);
        assertThat(flags() & 1).isZero();
        ToolRun r = writeback();
        assertThat(r.status()).as(r.describe()).isZero();
        assertThat(originBlock(5)).as("dirty after a crash").isEqualTo(filled(1));
        assertThat(originBlock(7)).isEqualTo(filled(2));
        assertThat(originBlock(30)).isEqualTo(filled(4));
        assertThat(dump()).doesNotContain("dirty=\"true\"").contains("origin_block=\"5\" dirty=\"false\"");
        assertThat(flags() & 1).isEqualTo(1);
        ToolRun check = ToolRun.tiercache("check", meta.toString());
        assertThat(check.status()).as(check.describe()).isZero();
    }

    @Test
    void blocksThatCannotBeCopiedStayDirtyAndAreListed() throws Exception {
        fixture(true);
        try (RandomAccessFile f = new RandomAccessFile(fast.toFile(), "rw")) {
            f.setLength(3L * BLOCK); // cache block 3 is gone
        }
        ToolRun r = writeback("--list-failed-blocks", "--retry-count", "1");
        assertThat(r.status()).as(r.describe()).isEqualTo(64);
        assertThat(r.out()).startsWith("cache block 3 -> origin block 30: ");
        assertThat(r.err()).contains("1 of 2 dirty blocks could not be written back");
        assertThat(originBlock(7)).isEqualTo(filled(2));
        String dump = dump();
        assertThat(dump).contains("origin_block=\"7\" dirty=\"false\"").contains("origin_block=\"30\" dirty=\"true\"");
    }

    @Test
    void errorsAreExplained() throws Exception {
        fixture(true);
        ToolRun missing = ToolRun.run(new WritebackCommand(WritebackToolTest::realFormats), "--metadata-device",
                dir.resolve("nope").toString(), "--origin-device", origin.toString(), "--fast-device", fast.toString());
        assertThat(missing.status()).isEqualTo(64);
        assertThat(missing.err()).contains("couldn't find metadata file");
        assertThat(ToolRun.run(new WritebackCommand(WritebackToolTest::realFormats), "--metadata-device", meta.toString())
                .status()).as("origin and fast devices are required").isEqualTo(2);
        ToolRun blank = ToolRun.run(new WritebackCommand(WritebackToolTest::realFormats), "--metadata-device",
                Tools.blankImage(dir, "blank.bin", 1).toString(), "--origin-device", origin.toString(),
                "--fast-device", fast.toString(), "-q");
        assertThat(blank.status()).isEqualTo(64);
        assertThat(blank.err()).isEmpty();
        assertThat(ToolRun.tiercache("writeback", "--help").out()).contains("--no-metadata-update")
                .contains("--list-failed-blocks").contains("--fast-device-offset");
    }
}
