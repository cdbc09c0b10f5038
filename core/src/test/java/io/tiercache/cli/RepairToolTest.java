package io.tiercache.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.tiercache.core.tools.Tools;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code tiercache repair -i IN -o OUT} as {@code cache_repair}. */
class RepairToolTest {
    @TempDir
    Path dir;

    private static ToolRun repair(String... args) {
        return ToolRun.run(new RepairCommand(ToolRun::testFormats), args);
    }

    @Test
    void aLeakyImageIsRewrittenSoundAndSilently() throws Exception {
        Path out = Tools.blankImage(dir, "out.bin", 4);
        ToolRun r = repair("-i", Tools.FIXTURES.resolve("bigarray.v1.tpt09.bin").toString(), "-o", out.toString());
        assertThat(r.status()).as(r.describe()).isZero();
        assertThat(r.err()).isEmpty();
        assertThat(ToolRun.tiercache("check", out.toString()).status()).isZero();
    }

    @Test
    void lossesAreListed() throws Exception {
        Path in = Files.copy(Tools.FIXTURES.resolve("small.v2.tpt11.bin"), dir.resolve("in.bin"));
        byte[] bytes = Files.readAllBytes(in);
        bytes[6 * 4096 + 200] ^= 1;  // the hint array block
        Files.write(in, bytes);
        Path out = Tools.blankImage(dir, "out.bin", 4);
        ToolRun r = repair("-i", in.toString(), "-o", out.toString());
        assertThat(r.status()).as(r.describe()).isZero();
        assertThat(r.err()).contains("lost: metadata block 6 (hint array array block): checksum mismatch")
                .contains("salvaged 4 mappings and 0 hints");
        assertThat(ToolRun.tiercache("check", out.toString()).status()).isZero();
        assertThat(repair("-q", "-i", in.toString(), "-o", out.toString()).err()).isEmpty();
    }

    @Test
    void refusesToOverwriteItsInput() throws Exception {
        Path in = Files.copy(Tools.FIXTURES.resolve("small.v2.tpt11.bin"), dir.resolve("in.bin"));
        ToolRun r = repair("-i", in.toString(), "-o", in.toString());
        assertThat(r.status()).isEqualTo(64);
        assertThat(r.err()).contains("the same file");
        assertThat(Files.readAllBytes(in)).isEqualTo(Files.readAllBytes(Tools.FIXTURES.resolve("small.v2.tpt11.bin")));
    }
}
