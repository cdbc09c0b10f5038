package io.tiercache.core.tools;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Restoring each fixture's XML in both formats (here through the tests' format; the packaged
 * plugins are checked the same way by the distribution's ToolsIT) gives metadata that both
 * {@code cache_check} generations and our check accept, and that tools 1.1 dump back as the XML.
 */
class RestoreTest {
    @TempDir
    Path dir;

    @Test
    void everyFixtureXmlInBothFormatsPassesBothCheckersAndDumpsBack() throws Exception {
        for (String name : List.of("small.xml", "medium.xml", "bigarray.xml")) {
            Path xml = Tools.FIXTURES.resolve(name);
            String expected = Files.readString(xml).stripTrailing();
            for (int version : new int[] {1, 2}) {
                Path image = Tools.blankImage(dir, name + ".v" + version + ".bin", 4);
                try (ToolDevice dev = ToolDevice.open(image, true)) {
                    Restorer.restore(TestFormat.both().forVersion(version), dev, new XmlImageReader(xml, Progress.NONE),
                            true);
                    CheckReport ours = CacheChecker.check(dev, CheckOptions.FULL, Progress.NONE);
                    assertThat(ours.problems()).as(name + " v" + version).isEmpty();
                }
                String what = name + " restored as v" + version;
                Tools.Result check09 = Tools.run(Tools.tools09("cache_check"), image);
                assertThat(check09.exitCode()).as(what + ": " + check09.describe()).isZero();
                Tools.Result check11 = Tools.run(Tools.tools11("cache_check"), image);
                assertThat(check11.exitCode()).as(what + ": " + check11.describe()).isZero();
                Tools.Result dump11 = Tools.run(Tools.tools11("cache_dump"), image);
                assertThat(dump11.stdout()).as(what).isEqualTo(expected);
            }
        }
    }

    @Test
    void restoringOverOldMetadataReplacesIt() throws Exception {
        Path image = Files.copy(Tools.FIXTURES.resolve("medium.v2.tpt11.bin"), dir.resolve("old.bin"));
        try (ToolDevice dev = ToolDevice.open(image, true)) {
            Restorer.restore(new TestFormat(1), dev, new XmlImageReader(Tools.FIXTURES.resolve("small.xml"),
                    Progress.NONE), false);
        }
        assertThat(Tools.run(Tools.tools11("cache_dump"), image).stdout())
                .isEqualTo(Files.readString(Tools.FIXTURES.resolve("small.xml")).stripTrailing());
        assertThat(Tools.run(Tools.tools11("cache_check"), image).exitCode()).isZero();
    }

    @Test
    void aBadXmlLeavesTheOutputUnformattedNotHalfWritten() throws Exception {
        Path image = Files.copy(Tools.FIXTURES.resolve("small.v1.tpt11.bin"), dir.resolve("half.bin"));
        Path bad = dir.resolve("bad.xml");
        Files.writeString(bad, Files.readString(Tools.FIXTURES.resolve("medium.xml")).replace("</mappings>", ""));
        try (ToolDevice dev = ToolDevice.open(image, true)) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> Restorer.restore(new TestFormat(2), dev,
                    new XmlImageReader(bad, Progress.NONE), true)).hasMessageContaining(bad + ":");
            CheckReport r = CacheChecker.check(dev, CheckOptions.FULL, Progress.NONE);
            assertThat(r.problems().getFirst().what()).contains("all zero");
        }
    }
}
