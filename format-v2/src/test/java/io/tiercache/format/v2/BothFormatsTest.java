package io.tiercache.format.v2;

import static org.assertj.core.api.Assertions.assertThat;

import io.tiercache.core.metadata.GuardedMetadata;
import io.tiercache.core.metadata.MemoryDevice;
import io.tiercache.core.metadata.MetadataFormats;
import io.tiercache.core.metadata.MetadataTestKit;
import io.tiercache.format.v1.FormatV1;
import io.tiercache.spi.metadata.MetadataFormat;
import io.tiercache.spi.metadata.OpenOptions;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** With both formats installed, every fixture opens through the format its superblock names. */
class BothFormatsTest {
    private final MetadataFormats formats = new MetadataFormats(Map.of("1", new FormatV1(), "2", new FormatV2()));

    static List<Path> images() throws IOException {
        return MetadataTestKit.fixtureImages();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("images")
    void everyFixtureOpensThroughItsOwnFormat(Path image) throws IOException {
        int version = image.getFileName().toString().contains(".v1.") ? 1 : 2;
        MemoryDevice dev = MemoryDevice.load(image);
        MetadataFormat format = formats.formatOf(dev);
        assertThat(format.version()).isEqualTo(version);
        // The table's metadata2 feature does not change an existing device's format.
        try (GuardedMetadata md = formats.open(dev, new OpenOptions(0, true, 3 - version, true))) {
            assertThat(md.version()).isEqualTo(version);
        }
        StringWriter out = new StringWriter();
        formats.dump(dev, new io.tiercache.core.tools.XmlImageWriter(out, io.tiercache.core.tools.Progress.NONE));
        assertThat(MetadataTestKit.normalise(out.toString()))
                .isEqualTo(MetadataTestKit.normalise(MetadataTestKit.fixtureDump11(image)));
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2})
    void aZeroedDeviceGetsTheRequestedFormat(int version) throws IOException {
        MemoryDevice dev = MemoryDevice.ofMiB(1);
        try (GuardedMetadata md = formats.open(dev, new OpenOptions(64, true, version, false))) {
            assertThat(md.version()).isEqualTo(version);
        }
        assertThat(formats.formatOf(dev).version()).isEqualTo(version);
    }
}
