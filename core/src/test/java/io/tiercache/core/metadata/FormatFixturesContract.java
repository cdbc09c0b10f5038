package io.tiercache.core.metadata;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tiercache.spi.block.BlockIoException;
import io.tiercache.spi.block.CacheBlock;
import io.tiercache.spi.block.Errno;
import io.tiercache.spi.block.OriginBlock;
import io.tiercache.spi.metadata.MetadataFormat;
import io.tiercache.spi.metadata.OpenOptions;
import io.tiercache.spi.pdata.CacheSuperblock;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every fixture image of the format's version (made by tools 0.9 and 1.1) opens, dumps exactly as
 * tools 1.1 {@code cache_dump} did, and loads by the rule of spec §7.4. Subclasses name the format
 * and provide the parameter source: {@code static List<Path> images() { return imagesOf(n); }}.
 */
public abstract class FormatFixturesContract {
    protected abstract MetadataFormat format();

    /** The fixture images of {@code version}. */
    protected static List<Path> imagesOf(int version) throws IOException {
        return MetadataTestKit.fixtureImages().stream()
                .filter(p -> p.getFileName().toString().contains(".v" + version + ".")).toList();
    }

    /** A registry holding only the format under test. */
    protected MetadataFormats formats() {
        return new MetadataFormats(Map.of(Integer.toString(format().version()), format()));
    }

    /** The XML a fixture was restored from. */
    protected static ExpectedImage source(Path image) throws IOException {
        String name = image.getFileName().toString();
        return ExpectedImage.read(new io.tiercache.core.tools.XmlImageReader(
                image.resolveSibling(name.substring(0, name.indexOf('.')) + ".xml"), io.tiercache.core.tools.Progress.NONE));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("images")
    void dumpEqualsTheToolsDump(Path image) throws IOException {
        MemoryDevice dev = MemoryDevice.load(image);
        assertThat(format().recognises(dev)).isTrue();
        assertThat(formats().formatOf(dev)).isExactlyInstanceOf(format().getClass());
        String dump = MetadataTestKit.dumpXml(format(), dev);
        assertThat(MetadataTestKit.normalise(dump)).isEqualTo(MetadataTestKit.normalise(MetadataTestKit.fixtureDump11(image)));
        assertThat(dev.writes).as("dump writes nothing").isZero();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("images")
    void loadAppliesTheCleanShutdownRule(Path image) throws IOException {
        String name = image.getFileName().toString();
        boolean clean = !name.contains(".unclean.");
        // tools 0.9 record hint size 0 and policy 0.0.0: the kernel (and we) do not use those hints.
        boolean hintsUsable = clean && name.contains(".tpt11.");
        ExpectedImage want = source(image);
        MemoryDevice dev = MemoryDevice.load(image);
        try (GuardedMetadata md = formats().open(dev, new OpenOptions(want.blockSize, false, 1, false))) {
            assertThat(md.version()).isEqualTo(format().version());
            assertThat(md.cleanWhenOpened()).isEqualTo(clean);
            assertThat(md.cacheSize()).isEqualTo(want.nrCacheBlocks);
            TreeMap<Long, ExpectedImage.Mapping> loaded = new TreeMap<>();
            md.loadMappings(FormatToolsContract.SMQ, (ob, cb, dirty, hint) -> {
                loaded.put(cb.value(), new ExpectedImage.Mapping(ob.value(), dirty));
                if (hintsUsable) {
                    assertThat(hint).as("hint of %s", cb).isEqualTo(want.hints.get(cb.value()));
                } else {
                    assertThat(hint).as("hint of %s", cb).isNull();
                }
            });
            TreeMap<Long, ExpectedImage.Mapping> expected = new TreeMap<>();
            want.mappings.forEach((cb, m) -> expected.put(cb, new ExpectedImage.Mapping(m.origin(), m.dirty() || !clean)));
            assertThat(loaded).isEqualTo(expected);
            md.loadDiscards((bs, db, d) -> assertThat(d).isFalse());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("images")
    void openingForWritingClearsTheCleanFlagFirst(Path image) throws IOException {
        if (image.getFileName().toString().contains("needscheck")) {
            return;
        }
        MemoryDevice dev = MemoryDevice.load(image);
        int flagsBefore = dev.block(0).getInt(4);
        try (GuardedMetadata md = formats().open(dev, new OpenOptions(0, false, 1, false))) {
            assertThat(md.cleanWhenOpened()).isEqualTo((flagsBefore & 1) != 0);
            CacheSuperblock onDisk = CacheSuperblock.decode(dev.block(0));
            assertThat(onDisk.cleanShutdown()).as("CLEAN_SHUTDOWN on disk right after open").isFalse();
            assertThat(dev.writeLog).as("the only write of an open: the superblock, if its flag was set")
                    .isEqualTo((flagsBefore & 1) != 0 ? List.of(0L) : List.of());
            assertThat(md.summary().cleanShutdown()).isFalse();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("images")
    void needsCheckRefusesWriteAccess(Path image) throws IOException {
        if (!image.getFileName().toString().contains("needscheck")) {
            return;
        }
        MemoryDevice dev = MemoryDevice.load(image);
        byte[] before = dev.bytes().clone();
        try (GuardedMetadata md = formats().open(dev, new OpenOptions(128, false, 2, false))) {
            assertThat(md.needsCheck()).isTrue();
            assertThat(md.readOnly()).isTrue();
            assertThatThrownBy(md::setReadWrite).hasMessageContaining("needs_check");
            assertThatThrownBy(() -> md.insertMapping(CacheBlock.of(2), OriginBlock.of(9)))
                    .isInstanceOfSatisfying(BlockIoException.class, e -> assertThat(e.errno()).isEqualTo(Errno.EINVAL));
            assertThatThrownBy(() -> md.commit(false)).hasMessageContaining("read-only");
            assertThat(md.cleanWhenOpened()).isTrue();
            md.loadMappings(FormatToolsContract.SMQ, (ob, cb, dirty, hint) -> assertThat(hint).isNotNull());
        }
        assertThat(dev.bytes()).as("nothing written to metadata that needs checking").isEqualTo(before);
    }
}
