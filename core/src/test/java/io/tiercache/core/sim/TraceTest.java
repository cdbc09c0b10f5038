package io.tiercache.core.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The trace format: R|W and a block per line, gzip or not, comments and blank lines skipped. */
class TraceTest {
    @TempDir
    Path dir;

    private static Trace parse(String text) throws IOException {
        return Trace.parse("t", new ByteArrayInputStream(text.getBytes(StandardCharsets.US_ASCII)));
    }

    @Test
    void readsAndWritesWithCommentsAndBlankLines() throws Exception {
        Trace t = parse("# header\nR 5\n\nW 12\r\n  R\t0  \n");
        assertThat(t.size()).isEqualTo(3);
        assertThat(t.block(0)).isEqualTo(5);
        assertThat(t.isWrite(1)).isTrue();
        assertThat(t.block(2)).isZero();
        assertThat(t.maxBlock()).isEqualTo(12);
        assertThat(t.distinctBlocks()).isEqualTo(3);
    }

    @Test
    void gzipIsRecognisedByItsMagicNotItsName() throws Exception {
        Path f = dir.resolve("plain-name.trace");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(f))) {
            out.write("R 1\nW 2\n".getBytes(StandardCharsets.US_ASCII));
        }
        Trace t = Trace.load(f);
        assertThat(t.size()).isEqualTo(2);
        assertThat(t.name()).isEqualTo("plain-name");
    }

    @Test
    void badLinesAreNamed() {
        assertThatThrownBy(() -> parse("R 1\nX 2\n")).hasMessageContaining("line 2");
        assertThatThrownBy(() -> parse("R -1\n")).hasMessageContaining("block number");
        assertThatThrownBy(() -> parse("R 1 2\n")).hasMessageContaining("after the block number");
    }

    @Test
    void theManifestGivesTheOriginSize() throws Exception {
        Files.writeString(dir.resolve("manifest.json"), """
                {"traces": [{"name": "a", "file": "x/a.trace.gz", "origin_blocks": 70},
                            {"name": "b", "origin_blocks": 90}]}""");
        assertThat(TraceManifest.originBlocks(dir.resolve("a.trace.gz"))).hasValue(70);
        assertThat(TraceManifest.originBlocks(dir.resolve("b.trace"))).hasValue(90);
        assertThat(TraceManifest.originBlocks(dir.resolve("c.trace"))).isEmpty();
        assertThat(TraceManifest.originBlocks(dir.resolve("sub/a.trace.gz"))).isEmpty();
    }
}
