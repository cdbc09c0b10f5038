package io.tiercache.core.tools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Reading every fixture image back into XML gives exactly what tools 1.1 {@code cache_dump} printed
 * for it (the stored {@code .dump-tpt11.xml}), strictly and when salvaging.
 */
class DumpTest {
    private static String dump(MemoryDevice dev, boolean strict) throws IOException {
        StringWriter out = new StringWriter();
        SalvageReader reader = SalvageReader.open(dev, strict, Progress.NONE);
        reader.replay(new XmlImageWriter(out, Progress.NONE));
        assertThat(reader.problems()).isEmpty();
        return out.toString();
    }

    @Test
    void everyFixtureDumpsAsTools11DumpedIt() throws IOException {
        for (Path image : Tools.images()) {
            String expected = Files.readString(Tools.dump11(image));
            MemoryDevice dev = MemoryDevice.of(image);
            assertThat(dump(dev, true)).as(image.toString()).isEqualTo(expected);
            assertThat(dump(dev, false)).as(image + " salvaged")
                    .isEqualTo(expected.replace("hint_width=\"0\"", "hint_width=\"4\""));
        }
    }

    @Test
    void aStrictDumpOfDamagedMetadataFailsNamingTheBlock() throws IOException {
        MemoryDevice dev = MemoryDevice.of(Tools.FIXTURES.resolve("medium.v1.tpt11.bin"));
        long leaf = mappingRoot(dev);
        dev.flip(leaf, 64, 2);
        assertThatThrownBy(() -> dump(dev, true)).hasMessageContaining("metadata block " + leaf + " (mapping array "
                + "btree node)").hasMessageContaining("checksum mismatch").hasMessageContaining("repair");
    }

    static long mappingRoot(MemoryDevice dev) {
        return java.nio.ByteBuffer.wrap(dev.bytes).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong(192);
    }
}
