package io.tiercache.core.metadata;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tiercache.spi.block.BlockIo;
import io.tiercache.spi.metadata.CacheMetadata;
import io.tiercache.spi.metadata.MetadataFormat;
import io.tiercache.spi.metadata.MetadataImage;
import io.tiercache.spi.metadata.OpenOptions;
import io.tiercache.spi.pdata.TransactionManager;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The registry picks a format by the device's superblock, or by the request when formatting. */
class MetadataFormatsTest {
    /** A format that only records what it was asked to do. */
    private static final class FakeFormat implements MetadataFormat {
        final int version;
        final List<String> calls = new ArrayList<>();

        FakeFormat(int version) {
            this.version = version;
        }

        @Override
        public int version() {
            return version;
        }

        @Override
        public boolean recognises(BlockIo dev) {
            return true;
        }

        @Override
        public CacheMetadata open(BlockIo dev, OpenOptions options) {
            calls.add("open");
            return new StubMetadata();
        }

        @Override
        public void dump(BlockIo dev, MetadataImage.Visitor visitor) {
            calls.add("dump");
        }

        @Override
        public void restore(BlockIo dev, MetadataImage.Source image, boolean clean) {
            calls.add("restore " + clean);
        }
    }

    private final FakeFormat v1 = new FakeFormat(1);
    private final FakeFormat v2 = new FakeFormat(2);
    private final MetadataFormats formats = new MetadataFormats(Map.of("1", v1, "2", v2));

    /** A committed (empty) superblock of {@code version}, made by pdata. */
    private static MemoryDevice formatted(int version) throws IOException {
        MemoryDevice dev = MemoryDevice.ofMiB(1);
        TransactionManager tm = TransactionManager.format(dev, version, TransactionManager.Options.readWrite());
        tm.commit(sb -> sb.toBuilder().dataBlockSize(128).build());
        return dev;
    }

    @Test
    void anExistingDeviceKeepsItsVersionWhateverTheTableAsks() throws IOException {
        MemoryDevice dev = formatted(2);
        CacheMetadata md = formats.open(dev, new OpenOptions(128, true, 1, false));
        assertThat(md).isInstanceOf(GuardedMetadata.class);
        assertThat(v2.calls).containsExactly("open");
        assertThat(v1.calls).isEmpty();
        assertThat(formats.formatOf(dev)).isSameAs(v2);
        formats.dump(dev, null);
        assertThat(v2.calls).containsExactly("open", "dump");
    }

    @Test
    void aZeroedDeviceIsFormattedWithTheRequestedVersion() throws IOException {
        MemoryDevice dev = MemoryDevice.ofMiB(1);
        formats.open(dev, new OpenOptions(128, true, 1, false));
        assertThat(v1.calls).containsExactly("open");
        assertThatThrownBy(() -> formats.open(dev, new OpenOptions(128, false, 1, false)))
                .hasMessageContaining("not formatted");
        assertThatThrownBy(() -> formats.open(dev, new OpenOptions(128, true, 1, true)))
                .hasMessageContaining("not formatted");
        formats.restore(dev, null, 2, true);
        assertThat(v2.calls).containsExactly("restore true");
    }

    @Test
    void aVersionWithoutPluginIsNamed() throws IOException {
        MetadataFormats onlyOne = new MetadataFormats(Map.of("1", v1));
        assertThat(onlyOne.versions()).containsExactly(1);
        assertThatThrownBy(() -> onlyOne.open(formatted(2), new OpenOptions(128, true, 2, false)))
                .hasMessage("no metadata format plugin for version 2 (installed: [1])");
        assertThatThrownBy(() -> onlyOne.open(MemoryDevice.ofMiB(1), new OpenOptions(128, true, 2, false)))
                .hasMessageContaining("no metadata format plugin for version 2");
    }

    @Test
    void aDamagedSuperblockIsReportedAsSuch() throws IOException {
        MemoryDevice dev = formatted(1);
        dev.bytes()[100] ^= 4;
        assertThatThrownBy(() -> formats.open(dev, new OpenOptions(128, true, 1, false)))
                .hasMessageStartingWith("metadata block 0 (cache superblock): checksum mismatch");
        assertThat(v1.calls).isEmpty();
    }

    @Test
    void aFormatRegisteredUnderAnotherVersionIsIgnored() {
        MetadataFormats wrong = new MetadataFormats(Map.of("1", v2, "2", v2));
        assertThat(wrong.versions()).containsExactly(2);
        assertThat(wrong.problems()).singleElement().asString().contains("says it is version 2");
    }
}
