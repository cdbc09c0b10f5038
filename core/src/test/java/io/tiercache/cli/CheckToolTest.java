package io.tiercache.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.tiercache.core.tools.Tools;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code tiercache check} as {@code cache_check}: flags, output, exit status. */
class CheckToolTest {
    @TempDir
    Path dir;

    private static Path fixture(String name) {
        return Tools.FIXTURES.resolve(name);
    }

    @Test
    void soundMetadataPassesSilently() {
        ToolRun r = ToolRun.tiercache("check", fixture("medium.v2.tpt11.bin").toString());
        assertThat(r.status()).as(r.describe()).isZero();
        assertThat(r.out() + r.err()).isEmpty();
    }

    @Test
    void everyProblemIsExplainedOnStderrAndExits64() {
        ToolRun r = ToolRun.tiercache("check", fixture("small.v1.tpt09.bin").toString());
        assertThat(r.status()).isEqualTo(64);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).contains("note: metadata block 7 (hint array): not checked: policy_hint_size is 0")
                .contains("non-fatal: metadata space map: blocks counted as in use but referenced by nothing (leaked; it "
                        + "holds a btree node): blocks 6..7 (2 in all)")
                .contains("3 metadata blocks have leaked").endsWith("metadata contains errors\n");
    }

    @Test
    void quietSaysNothingAndIgnoreNonFatalPassesLeaks() {
        ToolRun quiet = ToolRun.tiercache("check", "-q", fixture("small.v2.tpt09.bin").toString());
        assertThat(quiet.status()).isEqualTo(64);
        assertThat(quiet.out() + quiet.err()).isEmpty();
        ToolRun ignore = ToolRun.tiercache("check", "--ignore-non-fatal-errors", fixture("small.v2.tpt09.bin").toString());
        assertThat(ignore.status()).as(ignore.describe()).isZero();
        assertThat(ignore.err()).contains("dirty bit set for an unmapped cache block");
    }

    @Test
    void damageNamesTheBlockAndSuperBlockOnlyLooksNoFurther() throws Exception {
        Path image = Files.copy(fixture("small.v2.tpt11.bin"), dir.resolve("bad.bin"));
        byte[] bytes = Files.readAllBytes(image);
        bytes[3 * 4096 + 100] ^= 1;
        Files.write(image, bytes);
        ToolRun r = ToolRun.tiercache("check", image.toString());
        assertThat(r.status()).isEqualTo(64);
        assertThat(r.err()).contains("metadata block 3 (mapping array btree node): checksum mismatch");
        assertThat(ToolRun.tiercache("check", "--super-block-only", image.toString()).status()).isZero();
        assertThat(ToolRun.tiercache("check", "--skip-mappings", image.toString()).status()).isZero();
    }

    @Test
    void clearNeedsCheckOnlyWhenTheMetadataPasses() throws Exception {
        Path good = Files.copy(fixture("small.v2.tpt11.needscheck.bin"), dir.resolve("good.bin"));
        ToolRun r = ToolRun.tiercache("check", "--clear-needs-check-flag", good.toString());
        assertThat(r.status()).as(r.describe()).isZero();
        assertThat(r.err()).isEqualTo("cleared the needs_check flag\n");
        assertThat(flags(good)).isEqualTo(1);

        Path leaky = Files.copy(fixture("small.v1.tpt09.bin"), dir.resolve("leaky.bin"));
        setFlags(leaky, 3);
        ToolRun refused = ToolRun.tiercache("check", "--clear-needs-check-flag", leaky.toString());
        assertThat(refused.status()).isEqualTo(64);
        assertThat(refused.err()).endsWith("the needs_check flag was left set\n");
        assertThat(flags(leaky)).isEqualTo(3);
    }

    @Test
    void aMissingDeviceOrArgumentIsAnError() {
        ToolRun missing = ToolRun.tiercache("check", dir.resolve("nope.bin").toString());
        assertThat(missing.status()).isEqualTo(64);
        assertThat(missing.err()).contains("couldn't find input file");
        assertThat(ToolRun.tiercache("check").status()).as("usage").isEqualTo(2);
        assertThat(ToolRun.tiercache("check", "--auto-repair", "x").status()).as("not offered").isEqualTo(2);
    }

    private static int flags(Path image) throws Exception {
        return ByteBuffer.wrap(Files.readAllBytes(image)).order(ByteOrder.LITTLE_ENDIAN).getInt(4);
    }

    /** Sets the superblock flags and re-stamps its checksum, as {@code inspect_meta.py --set-flags} does. */
    private static void setFlags(Path image, int flags) throws Exception {
        byte[] bytes = Files.readAllBytes(image);
        ByteBuffer b = ByteBuffer.wrap(bytes, 0, 4096).slice().order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(4, flags);
        io.tiercache.spi.pdata.Checksum.stamp(b, io.tiercache.spi.pdata.BlockKind.SUPERBLOCK.salt());
        Files.write(image, bytes);
    }
}
