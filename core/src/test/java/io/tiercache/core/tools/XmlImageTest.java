package io.tiercache.core.tools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The XML of spec §9: read whatever either dumper wrote, written back exactly as tools 1.1 write it. */
class XmlImageTest {
    @TempDir
    Path dir;

    private static String roundTrip(Path xml) throws IOException {
        StringWriter out = new StringWriter();
        new XmlImageReader(xml, Progress.NONE).replay(new XmlImageWriter(out, Progress.NONE));
        return out.toString();
    }

    @Test
    void everyToolsDumpReadsAndWritesBackByteForByte() throws IOException {
        List<Path> xmls;
        try (Stream<Path> s = Files.list(Tools.FIXTURES)) {
            xmls = s.filter(p -> p.toString().endsWith(".xml")).sorted().toList();
        }
        assertThat(xmls).hasSizeGreaterThan(20);
        for (Path xml : xmls) {
            String text = Files.readString(xml);
            // tools 1.1 dumps are the reference; 0.9 dumps and the inputs differ only by the final newline.
            assertThat(roundTrip(xml)).as(xml.toString()).isEqualTo(text.endsWith("\n") ? text.substring(0,
                    text.length() - 1) : text);
        }
    }

    @Test
    void anEmptyImageKeepsBothSections() throws IOException {
        Path xml = write("<superblock uuid=\"\" block_size=\"128\" nr_cache_blocks=\"10\" policy=\"smq\" hint_width=\"4\">"
                + "</superblock>");
        assertThat(roundTrip(xml)).isEqualTo("<superblock uuid=\"\" block_size=\"128\" nr_cache_blocks=\"10\" policy=\"smq\" "
                + "hint_width=\"4\">\n  <mappings>\n  </mappings>\n  <hints>\n  </hints>\n</superblock>");
    }

    @Test
    void discardRangesAreReadButNotDumped() throws IOException {
        Path xml = write(head() + "<discards><discard dbegin=\"0\" dend=\"4\"/><discard dbegin=\"9\" dend=\"10\"/>"
                + "</discards></superblock>");
        long[] seen = new long[4];
        new XmlImageReader(xml, Progress.NONE).replay(new CountingVisitor(seen));
        assertThat(seen).containsExactly(1, 0, 0, 2);
        assertThat(roundTrip(xml)).doesNotContain("discard");
    }

    private static String head() {
        return "<superblock uuid=\"\" block_size=\"128\" nr_cache_blocks=\"10\" policy=\"smq\" hint_width=\"4\">\n";
    }

    private Path write(String text) throws IOException {
        Path f = Files.createTempFile(dir, "image", ".xml");
        Files.writeString(f, text);
        return f;
    }

    private void refused(String body, String message) throws IOException {
        Path xml = write(body);
        assertThatThrownBy(() -> roundTrip(xml)).isInstanceOf(XmlImageReader.XmlImageException.class)
                .hasMessageContaining(xml.toString()).hasMessageContaining(message);
    }

    @Test
    void whatWouldMakeBadMetadataIsRefusedWithItsLine() throws IOException {
        String m = "<mapping cache_block=\"%s\" origin_block=\"%s\" dirty=\"%s\"/>";
        refused(head() + "<mappings>" + m.formatted(10, 1, "false") + "</mappings></superblock>",
                "beyond nr_cache_blocks (10)");
        refused(head() + "<mappings>" + m.formatted(3, 1, "false") + m.formatted(2, 2, "false") + "</mappings></superblock>",
                "cache blocks must be in ascending order");
        refused(head() + "<mappings>" + m.formatted(3, 1, "false") + m.formatted(3, 2, "false") + "</mappings></superblock>",
                "each once");
        refused(head() + "<mappings>" + m.formatted(3, 1, "yes") + "</mappings></superblock>", "must be true or false");
        refused(head() + "<mappings>" + m.formatted(3, -1, "true") + "</mappings></superblock>", "out of range");
        refused(head() + "<mappings>" + m.formatted(3, "x", "true") + "</mappings></superblock>", "is not a number");
        refused(head() + "<hints><hint cache_block=\"1\" data=\"AQAA\"/></hints></superblock>", "hint of 3 bytes");
        refused(head() + "<hints><hint cache_block=\"1\" data=\"!!\"/></hints></superblock>", "not base64");
        refused(head() + "<hints></hints><mappings></mappings></superblock>", "must come before");
        refused(head() + "<mappings>" + m.formatted(3, 1, "false"), "not well-formed XML");
        refused("<metadata/>", "the root element must be <superblock>");
        refused("<superblock block_size=\"128\" nr_cache_blocks=\"0\" policy=\"smq\" hint_width=\"4\"/>", "out of range");
        refused("<superblock block_size=\"128\" nr_cache_blocks=\"4\" hint_width=\"4\"/>", "lacks the attribute policy");
        refused(head() + "<mappings><mapping cache_block=\"1\" origin_block=\"1\" dirty=\"true\"><x/></mapping>"
                + "</mappings></superblock>", "must be empty");
    }

    @Test
    void noDtdNoEntities() throws IOException {
        Path secret = write("secret");
        refused("<!DOCTYPE superblock [<!ENTITY x SYSTEM \"file://" + secret + "\">]>" + head().replace("smq", "&x;")
                + "</superblock>", "");
    }

    /** Counts superblocks, mappings, hints and discard ranges. */
    private record CountingVisitor(long[] seen) implements io.tiercache.spi.metadata.MetadataImage.Visitor {
        @Override
        public void superblock(io.tiercache.spi.metadata.MetadataImage.Superblock sb) {
            seen[0]++;
        }

        @Override
        public void mapping(long cblock, long oblock, boolean dirty) {
            seen[1]++;
        }

        @Override
        public void hint(long cblock, byte[] data) {
            seen[2]++;
        }

        @Override
        public void discard(long dbegin, long dend) {
            seen[3]++;
        }
    }
}
