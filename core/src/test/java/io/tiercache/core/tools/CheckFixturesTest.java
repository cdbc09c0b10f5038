package io.tiercache.core.tools;

import static org.assertj.core.api.Assertions.assertThat;

import io.tiercache.spi.pdata.TransactionManager;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code check} on every fixture gives tools 1.1 {@code cache_check}'s verdict — run live, and as
 * the fixtures' manifest recorded it — with the same number of leaked blocks, and explains why.
 */
class CheckFixturesTest {
    private static final Pattern LEAKS = Pattern.compile("(\\d+) metadata blocks have leaked");

    @TempDir
    Path dir;

    private static CheckReport check(Path image, CheckOptions options) throws IOException {
        try (ToolDevice dev = ToolDevice.open(image, false)) {
            return CacheChecker.check(dev, options, Progress.NONE);
        }
    }

    @Test
    void everyFixtureGetsTheVerdictOfTools11() throws Exception {
        List<Path> images = Tools.images();
        assertThat(images).hasSizeGreaterThanOrEqualTo(13);
        String manifest = Files.readString(Tools.FIXTURES.resolve("manifest.json"));
        for (Path image : images) {
            Tools.Result theirs = Tools.run(Tools.tools11("cache_check"), image);
            CheckReport ours = check(image, CheckOptions.FULL);
            String name = image.getFileName().toString();
            assertThat(ours.passed(false)).as("%s: ours %s, tools 1.1 %s", name, ours.problems(), theirs.describe())
                    .isEqualTo(theirs.exitCode() == 0);
            assertThat(manifestRc(manifest, name) == 0).as(name + " in manifest.json").isEqualTo(ours.passed(false));
            // tools 1.1 only count leaks when nothing else is wrong: then the counts must agree.
            if (!theirs.stderr().contains("metadata contains errors")) {
                Matcher m = LEAKS.matcher(theirs.stderr());
                assertThat(ours.leakedBlocks()).as(name + " leaked blocks")
                        .isEqualTo(m.find() ? Long.parseLong(m.group(1)) : 0);
            }
        }
    }

    private static int manifestRc(String manifest, String image) {
        Matcher m = Pattern.compile("\"image\": \"" + Pattern.quote(image) + "\"[^}]*?\"cache_check_1\\.1_rc\": (\\d+)",
                Pattern.DOTALL).matcher(manifest);
        assertThat(m.find()).as(image + " in manifest.json").isTrue();
        return Integer.parseInt(m.group(1));
    }

    @Test
    void tools09ImagesAreExplained() throws IOException {
        CheckReport v1 = check(Tools.FIXTURES.resolve("small.v1.tpt09.bin"), CheckOptions.FULL);
        assertThat(v1.problems()).extracting(Problem::toString)
                .anyMatch(s -> s.contains("metadata block 7 (hint array): not checked: policy_hint_size is 0"))
                .anyMatch(s -> s.contains("leaked") && s.contains("blocks 6..7") && s.contains("btree node"))
                .anyMatch(s -> s.contains("leaked") && s.contains("block 9") && s.contains("an array block"));
        assertThat(v1.passed(true)).as("leaks are non-fatal").isTrue();
        CheckReport v2 = check(Tools.FIXTURES.resolve("small.v2.tpt09.bin"), CheckOptions.FULL);
        assertThat(v2.problems()).extracting(Problem::toString).contains("non-fatal: metadata block 9 (dirty bitset "
                + "array block): dirty bit set for an unmapped cache block: cache blocks 2..4, 6..62 (60 in all)");
    }

    @Test
    void superBlockOnlyAndSkipsPassEveryIntactSuperblock() throws IOException {
        for (Path image : Tools.images()) {
            assertThat(check(image, new CheckOptions(true, false, false, false, false)).passed(false))
                    .as(image.toString()).isTrue();
        }
        Path leaky = Tools.FIXTURES.resolve("medium.v1.tpt09.bin");
        assertThat(check(leaky, new CheckOptions(false, false, true, false, false)).passed(false))
                .as("skipping a structure turns the leak check off, as in tools 1.1").isTrue();
    }

    @Test
    void wrongCountsAndSharedBlocksAreFatalAndNamed() throws Exception {
        // small.v2.tpt11.bin (spec §13): block 3 is the mapping leaf, 7 the hint leaf, 8 the bitmap.
        MemoryDevice twice = MemoryDevice.of(Tools.FIXTURES.resolve("small.v2.tpt11.bin"));
        setBitmapEntry(twice, 8, 3, 2);
        CheckReport r = CacheChecker.check(twice, CheckOptions.FULL, Progress.NONE);
        assertThat(r.problems()).extracting(Problem::toString).containsExactly(
                "metadata block 3 (mapping array btree node): the space map counts 2 references but 1 was found");
        assertThat(r.passed(true)).as("fatal").isFalse();

        MemoryDevice shared = MemoryDevice.of(Tools.FIXTURES.resolve("small.v2.tpt11.bin"));
        java.nio.ByteBuffer sb = java.nio.ByteBuffer.wrap(shared.bytes, 0, 4096).slice()
                .order(java.nio.ByteOrder.LITTLE_ENDIAN);
        sb.putLong(200, 3);  // the hint root now points at the mapping leaf
        io.tiercache.spi.pdata.Checksum.stamp(sb, io.tiercache.spi.pdata.BlockKind.SUPERBLOCK.salt());
        assertThat(CacheChecker.check(shared, CheckOptions.FULL, Progress.NONE).problems()).extracting(Problem::toString)
                .contains("metadata block 3 (mapping array btree node): the space map counts 1 reference but 2 were found")
                .contains("non-fatal: metadata space map: blocks counted as in use but referenced by nothing (leaked; it "
                        + "holds an array block): block 6")
                .contains("non-fatal: metadata space map: blocks counted as in use but referenced by nothing (leaked; it "
                        + "holds a btree node): block 7");
        assertThat(Tools.run(Tools.tools11("cache_check"), write(shared)).exitCode()).as("tools 1.1 agree").isNotZero();
    }

    @Test
    void anAbsurdSizeInASoundSuperblockStopsTheWalk() throws IOException {
        MemoryDevice dev = MemoryDevice.of(Tools.FIXTURES.resolve("small.v1.tpt11.bin"));
        java.nio.ByteBuffer sb = java.nio.ByteBuffer.wrap(dev.bytes, 0, 4096).slice().order(java.nio.ByteOrder.LITTLE_ENDIAN);
        sb.putInt(240, -1);  // cache_blocks 4,294,967,295
        io.tiercache.spi.pdata.Checksum.stamp(sb, io.tiercache.spi.pdata.BlockKind.SUPERBLOCK.salt());
        assertThat(CacheChecker.check(dev, CheckOptions.FULL, Progress.NONE).problems()).extracting(Problem::toString)
                .containsExactly("metadata block 0 (cache superblock): cache_blocks 4294967295 and discard_nr_blocks 0 "
                        + "cannot fit in 256 metadata blocks; nothing further can be checked");
    }

    private Path write(MemoryDevice dev) throws IOException {
        return Files.write(Files.createTempFile(dir, "image", ".bin"), dev.bytes);
    }

    /** Sets the two-bit count of {@code block} in the bitmap at {@code bitmap}, and re-stamps it. */
    private static void setBitmapEntry(MemoryDevice dev, int bitmap, int block, int count) {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(dev.bytes, bitmap * 4096, 4096).slice()
                .order(java.nio.ByteOrder.LITTLE_ENDIAN);
        int off = 16 + 8 * (block / 32);
        int shift = 2 * (block % 32);
        long word = b.getLong(off) & ~(3L << shift);
        word |= (long) (count >> 1) << shift | (long) (count & 1) << (shift + 1);
        b.putLong(off, word);
        io.tiercache.spi.pdata.Checksum.stamp(b, io.tiercache.spi.pdata.BlockKind.BITMAP.salt());
    }

    @Test
    void aBlankOrTinyDeviceIsNoMetadata() throws IOException {
        CheckReport zero = CacheChecker.check(MemoryDevice.ofMiB(1), CheckOptions.FULL, Progress.NONE);
        assertThat(zero.passed(false)).isFalse();
        assertThat(zero.problems().getFirst().toString()).contains("metadata block 0").contains("all zero");
        CheckReport tiny = CacheChecker.check(new MemoryDevice(new byte[100]), CheckOptions.FULL, Progress.NONE);
        assertThat(tiny.problems().getFirst().toString()).contains("too small");
        byte[] xml = new byte[8192];
        byte[] text = Files.readAllBytes(Tools.FIXTURES.resolve("small.xml"));
        System.arraycopy(text, 0, xml, 0, text.length);
        assertThat(CacheChecker.check(new MemoryDevice(xml), CheckOptions.FULL, Progress.NONE).problems())
                .extracting(Problem::toString).anyMatch(p -> p.contains("this looks like XML"));
    }

    @Test
    void clearingNeedsCheckChangesWhatTools11Change() throws Exception {
        Path ours = dir.resolve("ours.bin");
        Path theirs = dir.resolve("theirs.bin");
        Files.copy(Tools.FIXTURES.resolve("small.v2.tpt11.needscheck.bin"), ours);
        Files.copy(ours, theirs);
        assertThat(Tools.run(Tools.tools11("cache_check"), "--clear-needs-check-flag", theirs).exitCode()).isZero();
        try (ToolDevice dev = ToolDevice.open(ours, true)) {
            assertThat(CacheChecker.check(dev, CheckOptions.FULL, Progress.NONE).passed(false)).isTrue();
            assertThat(SuperblockFlags.clearNeedsCheck(dev)).isTrue();
            assertThat(SuperblockFlags.clearNeedsCheck(dev)).as("already clear").isFalse();
        }
        assertThat(Files.readAllBytes(ours)).isEqualTo(Files.readAllBytes(theirs));
        try (ToolDevice dev = ToolDevice.open(ours, false)) {
            TransactionManager tm = TransactionManager.open(dev, TransactionManager.Options.readOnlyAccess());
            assertThat(tm.superblock().needsCheck()).isFalse();
            assertThat(tm.superblock().cleanShutdown()).isTrue();
        }
    }
}
