package io.tiercache.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.tiercache.core.tools.Tools;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code tiercache restore -i XML -o DEV} as {@code cache_restore}. */
class RestoreToolTest {
    @TempDir
    Path dir;

    private static ToolRun restore(String... args) {
        return ToolRun.run(new RestoreCommand(ToolRun::testFormats), args);
    }

    private static ByteBuffer superblock(Path image) throws Exception {
        return ByteBuffer.wrap(Files.readAllBytes(image)).order(ByteOrder.LITTLE_ENDIAN);
    }

    @Test
    void restoresInFormat2ByDefaultAnd1OnRequest() throws Exception {
        Path xml = Tools.FIXTURES.resolve("medium.xml");
        Path v2 = Tools.blankImage(dir, "v2.bin", 4);
        ToolRun r = restore("-i", xml.toString(), "-o", v2.toString());
        assertThat(r.status()).as(r.describe()).isZero();
        assertThat(r.out() + r.err()).isEmpty();
        assertThat(superblock(v2).getInt(40)).isEqualTo(2);
        assertThat(superblock(v2).getInt(4)).as("clean shutdown").isEqualTo(1);
        Path v1 = Tools.blankImage(dir, "v1.bin", 4);
        assertThat(restore("--input", xml.toString(), "--output", v1.toString(), "--metadata-version", "1",
                "--omit-clean-shutdown").status()).isZero();
        assertThat(superblock(v1).getInt(40)).isEqualTo(1);
        assertThat(superblock(v1).getInt(4)).isZero();
        assertThat(ToolRun.tiercache("check", v1.toString()).status()).isZero();
        assertThat(ToolRun.run(new DumpCommand(ToolRun::testFormats), v2.toString()).out())
                .isEqualTo(Files.readString(xml).stripTrailing());
    }

    @Test
    void errorsAreExplained() throws Exception {
        Path xml = Tools.FIXTURES.resolve("small.xml");
        ToolRun noOutput = restore("-i", xml.toString(), "-o", dir.resolve("missing.bin").toString());
        assertThat(noOutput.status()).isEqualTo(64);
        assertThat(noOutput.err()).contains("couldn't find output file");
        ToolRun noInput = restore("-i", dir.resolve("missing.xml").toString(), "-o", xml.toString());
        assertThat(noInput.err()).contains("couldn't find input file");
        Path tiny = Tools.blankImage(dir, "tiny.bin", 0);
        assertThat(restore("-i", xml.toString(), "-o", tiny.toString()).err()).contains("the output is too small");
        assertThat(restore("-i", xml.toString(), "-o", tiny.toString(), "--metadata-version", "3").status()).isEqualTo(2);
        assertThat(restore("-i", xml.toString()).status()).as("-o is required").isEqualTo(2);
        Path bad = dir.resolve("bad.xml");
        Files.writeString(bad, Files.readString(xml).replace("cache_block=\"63\"", "cache_block=\"64\""));
        ToolRun r = restore("-i", bad.toString(), "-o", Tools.blankImage(dir, "out.bin", 1).toString(), "-q");
        assertThat(r.status()).isEqualTo(64);
        assertThat(r.err()).as("quiet").isEmpty();
        assertThat(restore("-i", bad.toString(), "-o", dir.resolve("out.bin").toString()).err())
                .contains(bad + ":6:").contains("beyond nr_cache_blocks (64)");
    }
}
