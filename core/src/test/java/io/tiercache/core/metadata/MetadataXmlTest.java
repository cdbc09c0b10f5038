package io.tiercache.core.metadata;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/** Reading and writing the tools' XML reproduces every fixture file byte for byte (final newline aside). */
class MetadataXmlTest {
    static List<Path> xmlFiles() throws IOException {
        MetadataTestKit.fixtureImages();
        try (Stream<Path> s = Files.list(MetadataTestKit.FIXTURES)) {
            return s.filter(p -> p.toString().endsWith(".xml")).sorted().toList();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("xmlFiles")
    void roundTrip(Path xml) throws IOException {
        StringWriter out = new StringWriter();
        MetadataXml.reader(xml).replay(MetadataXml.writer(out));
        assertThat(MetadataTestKit.normalise(out.toString())).isEqualTo(MetadataTestKit.normalise(Files.readString(xml)));
    }

    @Test
    void emptySectionsArePrintedAsTheToolsDo() throws IOException {
        StringWriter out = new StringWriter();
        new ExpectedImage(64, 10).replay(MetadataXml.writer(out));
        assertThat(out.toString()).isEqualTo("""
                <superblock uuid="" block_size="64" nr_cache_blocks="10" policy="" hint_width="4">
                  <mappings>
                  </mappings>
                  <hints>
                  </hints>
                </superblock>
                """);
    }

    @Test
    void badInputIsRefusedWithItsLine() {
        String xml = "<superblock uuid=\"\" block_size=\"64\" nr_cache_blocks=\"10\" policy=\"\" hint_width=\"4\">\n"
                + "<mappings>\n<mapping cache_block=\"x\" origin_block=\"1\" dirty=\"false\"/>\n</mappings></superblock>";
        assertThatThrownBy(() -> MetadataXml.replay(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)),
                MetadataXml.writer(new StringWriter())))
                .hasMessageContaining("line 3");
    }
}
