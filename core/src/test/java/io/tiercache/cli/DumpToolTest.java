package io.tiercache.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.tiercache.core.tools.Formats;
import io.tiercache.core.tools.Tools;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code tiercache dump} as {@code cache_dump} 1.1: the same XML on stdout or in a file. */
class DumpToolTest {
    @TempDir
    Path dir;

    private static ToolRun dump(String... args) {
        return ToolRun.run(new DumpCommand(ToolRun::testFormats), args);
    }

    @Test
    void everyFixtureDumpsAsTools11Dump() throws Exception {
        for (Path image : Tools.images()) {
            ToolRun r = dump(image.toString());
            assertThat(r.status()).as(r.describe()).isZero();
            assertThat(r.out()).as(image.toString()).isEqualTo(Files.readString(Tools.dump11(image)));
            assertThat(r.err()).isEmpty();
        }
    }

    @Test
    void toAFile() throws Exception {
        Path xml = dir.resolve("out.xml");
        Path image = Tools.FIXTURES.resolve("bigarray.v2.tpt11.bin");
        assertThat(dump("-o", xml.toString(), image.toString()).status()).isZero();
        assertThat(Files.readString(xml)).isEqualTo(Files.readString(Tools.dump11(image)));
    }

    @Test
    void damagedMetadataFailsUnlessRepairing() throws Exception {
        Path image = Files.copy(Tools.FIXTURES.resolve("small.v1.tpt11.bin"), dir.resolve("bad.bin"));
        byte[] bytes = Files.readAllBytes(image);
        bytes[2 * 4096 + 30] ^= 4;  // the mapping array block
        Files.write(image, bytes);
        ToolRun strict = dump(image.toString());
        assertThat(strict.status()).isEqualTo(64);
        assertThat(strict.err()).contains("metadata block 2 (mapping array array block): checksum mismatch");
        ToolRun salvage = dump("--repair", image.toString());
        assertThat(salvage.status()).as(salvage.describe()).isZero();
        assertThat(salvage.out()).contains("<mappings>\n  </mappings>\n  <hints>\n  </hints>");
        assertThat(salvage.err()).contains("warning: note: mapping array: the mappings of cache blocks 0..63 are lost");
    }

    @Test
    void withoutAFormatPluginItSaysWhere() {
        ToolRun r = ToolRun.run(new DumpCommand(p -> new Formats(Map.of(), "/opt/tiercache/plugins")),
                Tools.FIXTURES.resolve("small.v2.tpt11.bin").toString());
        assertThat(r.status()).isEqualTo(64);
        assertThat(r.err()).contains("no metadata format plugin recognises the superblock (version 2): there are no "
                + "format plugins in /opt/tiercache/plugins");
    }

    @Test
    void anEmptyPluginsFolderThroughTheLauncher() throws Exception {
        Path plugins = Files.createDirectories(dir.resolve("plugins"));
        ToolRun r = ToolRun.tiercache("dump", "--plugins", plugins.toString(),
                Tools.FIXTURES.resolve("small.v1.tpt11.bin").toString());
        assertThat(r.status()).isEqualTo(64);
        assertThat(r.err()).contains("there are no format plugins in " + plugins);
    }
}
