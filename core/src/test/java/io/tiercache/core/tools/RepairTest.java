package io.tiercache.core.tools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tiercache.spi.pdata.TransactionManager;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code repair}: whatever can be read is written afresh, so the result passes both
 * {@code cache_check}s; what was lost is said, and salvage never loses a dirty bit it could not read.
 */
class RepairTest {
    @TempDir
    Path dir;

    /** Salvages {@code input} into a new image of the same format. */
    private SalvageReader repair(Path input, Path output) throws Exception {
        try (ToolDevice in = ToolDevice.open(input, false); ToolDevice out = ToolDevice.open(output, true)) {
            SalvageReader s = SalvageReader.open(in, false, Progress.NONE);
            Restorer.restore(TestFormat.both().forVersion(s.superblock().version()), out, s, s.superblock().cleanShutdown());
            return s;
        }
    }

    private static void passesBothCheckers(Path image) throws Exception {
        assertThat(Tools.run(Tools.tools09("cache_check"), image).exitCode()).as("0.9 " + image).isZero();
        Tools.Result r = Tools.run(Tools.tools11("cache_check"), image);
        assertThat(r.exitCode()).as("1.1 " + r.describe()).isZero();
    }

    @Test
    void tools09ImagesComeOutWithoutLeaksOrStrayDirtyBits() throws Exception {
        for (String name : List.of("small.v1.tpt09.bin", "small.v2.tpt09.bin", "medium.v2.tpt09.bin",
                "bigarray.v1.tpt09.bin")) {
            Path out = Tools.blankImage(dir, name, 4);
            assertThat(repair(Tools.FIXTURES.resolve(name), out).problems()).isEmpty();
            passesBothCheckers(out);
            assertThat(Tools.run(Tools.tools11("cache_dump"), out).stdout()).as(name)
                    .isEqualTo(Files.readString(Tools.sourceXml(Tools.FIXTURES.resolve(name))).stripTrailing());
        }
    }

    @Test
    void aDamagedArrayBlockCostsItsCacheBlocksOnly() throws Exception {
        Path in = Files.copy(Tools.FIXTURES.resolve("medium.v1.tpt11.bin"), dir.resolve("in.bin"));
        long first = arrayBlock(in, 192, 0);
        flip(in, first, 1000);
        Path out = Tools.blankImage(dir, "out.bin", 4);
        SalvageReader s = repair(in, out);
        assertThat(s.problems()).extracting(Problem::toString)
                .anyMatch(p -> p.contains("metadata block " + first + " (mapping array array block): checksum mismatch"))
                .anyMatch(p -> p.contains("the mappings of cache blocks 0..508 are lost"));
        passesBothCheckers(out);
        String expected = withoutCacheBlocksBelow(Files.readString(Tools.FIXTURES.resolve("medium.xml")), 509);
        assertThat(Tools.run(Tools.tools11("cache_dump"), out).stdout()).isEqualTo(expected.stripTrailing());
    }

    @Test
    void anUnreadableDirtyBitMeansDirty() throws Exception {
        Path in = Files.copy(Tools.FIXTURES.resolve("small.v2.tpt11.bin"), dir.resolve("in.bin"));
        flip(in, arrayBlock(in, 284, 0), 500);
        Path out = Tools.blankImage(dir, "out.bin", 4);
        repair(in, out);
        passesBothCheckers(out);
        String dump = Tools.run(Tools.tools11("cache_dump"), out).stdout();
        assertThat(dump).contains("origin_block=\"100\" dirty=\"true\"").doesNotContain("dirty=\"false\"");
    }

    @Test
    void anOriginMappedTwiceIsNamedByCheckAndKeptOnceByRepair() throws Exception {
        Path xml = dir.resolve("dup.xml");
        Files.writeString(xml, "<superblock uuid=\"\" block_size=\"128\" nr_cache_blocks=\"2000\" policy=\"smq\" "
                + "hint_width=\"4\">\n<mappings>\n<mapping cache_block=\"3\" origin_block=\"5\" dirty=\"false\"/>\n"
                + "<mapping cache_block=\"4\" origin_block=\"6\" dirty=\"true\"/>\n"
                + "<mapping cache_block=\"1500\" origin_block=\"5\" dirty=\"true\"/>\n</mappings>\n</superblock>");
        Path in = Tools.blankImage(dir, "dup.bin", 4);
        try (ToolDevice dev = ToolDevice.open(in, true)) {
            Restorer.restore(new TestFormat(2), dev, new XmlImageReader(xml, Progress.NONE), true);
            CheckReport report = CacheChecker.check(dev, CheckOptions.FULL, Progress.NONE);
            assertThat(report.problems()).extracting(Problem::toString).singleElement().asString()
                    .matches("metadata block \\d+ \\(mapping array array block\\): cache block 1500 maps origin block 5, "
                            + "which cache block 3 maps already");
        }
        assertThat(Tools.run(Tools.tools11("cache_check"), in).exitCode()).as("tools 1.1 agree").isNotZero();
        Path out = Tools.blankImage(dir, "out.bin", 4);
        assertThat(repair(in, out).problems()).extracting(Problem::what)
                .containsExactly("cache block 1500 dropped: it maps origin block 5 as cache block 3 does");
        passesBothCheckers(out);
        assertThat(Tools.run(Tools.tools11("cache_dump"), out).stdout()).contains("cache_block=\"3\" origin_block=\"5\"")
                .contains("cache_block=\"4\" origin_block=\"6\"").doesNotContain("cache_block=\"1500\"");
    }

    @Test
    void anUncleanImageStaysUnclean() throws Exception {
        Path out = Tools.blankImage(dir, "out.bin", 4);
        repair(Tools.FIXTURES.resolve("small.v2.tpt11.unclean.bin"), out);
        try (ToolDevice dev = ToolDevice.open(out, false)) {
            assertThat(TransactionManager.open(dev, TransactionManager.Options.readOnlyAccess()).superblock()
                    .cleanShutdown()).isFalse();
        }
    }

    @Test
    void withoutASuperblockThereIsNothingToSalvage() throws Exception {
        Path in = Files.copy(Tools.FIXTURES.resolve("small.v2.tpt11.bin"), dir.resolve("in.bin"));
        flip(in, 0, 250);
        try (ToolDevice dev = ToolDevice.open(in, false)) {
            assertThatThrownBy(() -> SalvageReader.open(dev, false, Progress.NONE))
                    .hasMessageContaining("metadata block 0 (cache superblock): checksum mismatch");
        }
    }

    /** The array block holding entry 0 of the array whose root the superblock keeps at {@code rootOffset}. */
    private static long arrayBlock(Path image, int rootOffset, int entry) throws Exception {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(image)).order(ByteOrder.LITTLE_ENDIAN);
        long leaf = b.getLong(rootOffset);
        assertThat(b.getInt((int) leaf * 4096 + 4)).as("a leaf root").isEqualTo(2);
        return b.getLong((int) leaf * 4096 + 32 + 8 * 252 + 8 * entry);
    }

    private static void flip(Path image, long block, int offset) throws Exception {
        byte[] bytes = Files.readAllBytes(image);
        bytes[(int) block * 4096 + offset] ^= 0x10;
        Files.write(image, bytes);
    }

    private static String withoutCacheBlocksBelow(String xml, int limit) {
        return Pattern.compile("(?m)^    <(mapping|hint) cache_block=\"(\\d+)\".*\\n").matcher(xml).replaceAll(m ->
                Integer.parseInt(m.group(2)) < limit ? "" : m.group().replace("$", "\\$"));
    }
}
