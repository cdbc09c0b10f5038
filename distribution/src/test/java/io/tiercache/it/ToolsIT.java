package io.tiercache.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.tiercache.core.tools.MemoryDevice;
import io.tiercache.core.tools.Tools;
import io.tiercache.spi.pdata.TransactionManager;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The offline tools of the packaged launcher ({@code bin/tiercache check|dump|restore|repair|
 * metadata-size}) with the packaged format plugins, judged by thin-provisioning-tools 0.9 and 1.1.
 */
class ToolsIT {
    private static final List<String> XMLS = List.of("small.xml", "medium.xml", "bigarray.xml");

    @TempDir
    Path dir;

    private Proc tiercache(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(DaemonProcess.HOME.resolve("bin/tiercache").toString()));
        cmd.addAll(List.of(args));
        return Proc.run(dir, cmd);
    }

    private Proc tool(Path program, Object... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(program.toString()));
        for (Object a : args) {
            cmd.add(a.toString());
        }
        return Proc.run(dir, cmd);
    }

    @Test
    void everyFixtureDumpsAndChecksAsTools11() throws Exception {
        for (Path image : Tools.images()) {
            Proc theirs = tool(Tools.tools11("cache_dump"), image).ok();
            Proc ours = tiercache("dump", image.toString());
            assertThat(ours.exit()).as(image + ": " + ours.err()).isZero();
            // Both print tools 1.1's XML (no final newline): spec §11.3 needs no normalising here.
            assertThat(ours.out()).as(image.toString()).isEqualTo(theirs.out());
            assertThat(ours.err()).as("nothing on stderr").isEmpty();
            boolean theyPass = tool(Tools.tools11("cache_check"), image).exit() == 0;
            Proc check = tiercache("check", image.toString());
            assertThat(check.exit()).as(image + ": " + check.err()).isEqualTo(theyPass ? 0 : 64);
            assertThat(check.err().isEmpty()).as("silent when sound").isEqualTo(theyPass);
        }
    }

    @Test
    void everyFixtureXmlRestoredInBothFormatsPassesBothCheckersAndDumpsBack() throws Exception {
        for (String name : XMLS) {
            Path xml = Tools.FIXTURES.resolve(name);
            for (String version : List.of("1", "2")) {
                Path image = Tools.blankImage(dir, name + ".v" + version + ".bin", 4);
                Proc r = tiercache("restore", "-i", xml.toString(), "-o", image.toString(), "--metadata-version", version);
                assertThat(r.exit()).as(r.err()).isZero();
                assertThat(r.out() + r.err()).isEmpty();
                String what = name + " as v" + version;
                assertThat(tool(Tools.tools09("cache_check"), image).exit()).as("0.9 " + what).isZero();
                Proc check11 = tool(Tools.tools11("cache_check"), image);
                assertThat(check11.exit()).as("1.1 " + what + ": " + check11.err()).isZero();
                assertThat(tool(Tools.tools11("cache_dump"), image).ok().out()).as(what)
                        .isEqualTo(Files.readString(xml).stripTrailing());
                assertThat(tiercache("check", image.toString()).exit()).as(what).isZero();
            }
        }
    }

    @Test
    void aFlippedBitInAnyUsedBlockIsNamedByCheck() throws Exception {
        Path image = Tools.blankImage(dir, "small.bin", 1);
        tiercache("restore", "-i", Tools.FIXTURES.resolve("small.xml").toString(), "-o", image.toString()).ok();
        byte[] intact = Files.readAllBytes(image);
        Random r = new Random(7);
        for (long b : usedBlocks(intact)) {
            byte[] copy = intact.clone();
            copy[(int) b * 4096 + r.nextInt(4096)] ^= (byte) (1 << r.nextInt(8));
            Path damaged = dir.resolve("damaged.bin");
            Files.write(damaged, copy);
            Proc check = tiercache("check", damaged.toString());
            assertThat(check.exit()).as("block " + b).isEqualTo(64);
            assertThat(check.err()).as("block " + b).contains("metadata block " + b + " (");
        }
    }

    private static List<Long> usedBlocks(byte[] image) throws IOException {
        var sm = TransactionManager.open(new MemoryDevice(image.clone()), TransactionManager.Options.readOnlyAccess())
                .spaceMap();
        List<Long> used = new ArrayList<>();
        for (long b = 0; b < sm.nrBlocks(); b++) {
            if (sm.count(b) > 0) {
                used.add(b);
            }
        }
        assertThat(used).hasSizeGreaterThan(8);
        return used;
    }

    @Test
    void repairRewritesLeakyAndDamagedMetadataSoundly() throws Exception {
        Path leaky = Tools.FIXTURES.resolve("medium.v2.tpt09.bin");
        Path out = Tools.blankImage(dir, "repaired.bin", 4);
        Proc r = tiercache("repair", "-i", leaky.toString(), "-o", out.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(tool(Tools.tools09("cache_check"), out).exit()).isZero();
        assertThat(tool(Tools.tools11("cache_check"), out).exit()).isZero();
        assertThat(tool(Tools.tools11("cache_dump"), out).ok().out())
                .isEqualTo(Files.readString(Tools.FIXTURES.resolve("medium.xml")).stripTrailing());

        byte[] bytes = Files.readAllBytes(Tools.FIXTURES.resolve("small.v2.tpt11.bin"));
        bytes[6 * 4096 + 99] ^= 1;  // the hint array block (spec §13)
        Path damaged = dir.resolve("damaged.bin");
        Files.write(damaged, bytes);
        Proc salvage = tiercache("repair", "-i", damaged.toString(), "-o", out.toString());
        assertThat(salvage.exit()).isZero();
        assertThat(salvage.err()).contains("lost: metadata block 6 (hint array array block)");
        assertThat(tool(Tools.tools11("cache_check"), out).exit()).isZero();
        // The hints were lost: the new hint array holds zeros, which cache_dump prints for every mapping.
        assertThat(tool(Tools.tools11("cache_dump"), out).ok().out()).contains("origin_block=\"123456\" dirty=\"true\"")
                .contains("<hint cache_block=\"0\" data=\"AAAAAA==\"/>").doesNotContain("AQAAAA==");
    }

    @Test
    void metadataSizeAsTools11() throws Exception {
        for (List<String> args : List.of(List.of("--nr-blocks", "16384"), List.of("--block-size", "64k", "--device-size",
                "100g"), List.of("--nr-blocks", "1000000", "-u", "m"))) {
            List<String> ours = new ArrayList<>(List.of("metadata-size"));
            ours.addAll(args);
            assertThat(tiercache(ours.toArray(String[]::new)).ok().out())
                    .isEqualTo(tool(Tools.tools11("cache_metadata_size"), args.toArray()).ok().out());
        }
    }
}
