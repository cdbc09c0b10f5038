package io.tiercache.core.metadata;

import static io.tiercache.core.metadata.ExpectedImage.hint;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tiercache.spi.block.CacheBlock;
import io.tiercache.spi.block.DiscardBlock;
import io.tiercache.spi.block.OriginBlock;
import io.tiercache.spi.metadata.MetadataFormat;
import io.tiercache.spi.metadata.MetadataStats;
import io.tiercache.spi.metadata.OpenOptions;
import io.tiercache.spi.metadata.PolicyIdentity;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What every metadata format must do, checked against thin-provisioning-tools: metadata written
 * through the SPI and images restored from the fixtures' XML pass both {@code cache_check}s and
 * dump (tools 1.1, and the format's own dump) to the expected XML. A format module runs it by
 * extending it.
 */
public abstract class FormatToolsContract {
    public static final PolicyIdentity SMQ = new PolicyIdentity("smq", 2, 0, 0, 4);
    private static final long BLOCK_SIZE = 128;

    @TempDir
    protected Path dir;

    /** The format under test. */
    protected abstract MetadataFormat format();

    protected int version() {
        return format().version();
    }

    protected GuardedMetadata open(MemoryDevice dev, long blockSize) throws IOException {
        return new MetadataFormats(Map.of(Integer.toString(version()), format()))
                .open(dev, new OpenOptions(blockSize, true, version(), false));
    }

    private int images;

    private void verify(MemoryDevice dev, ExpectedImage want) throws Exception {
        Path image = dev.save(dir.resolve("image-" + images++ + ".bin"));
        MetadataTestKit.verifyWithTools(image, version(), want.xml());
        assertThat(MetadataTestKit.normalise(MetadataTestKit.dumpXml(format(), dev))).as("our own dump")
                .isEqualTo(MetadataTestKit.normalise(want.xml()));
    }

    @Test
    void spiWritesPassBothCheckersAfterEveryCommit() throws Exception {
        MemoryDevice dev = MemoryDevice.ofMiB(4);
        ExpectedImage want = new ExpectedImage(BLOCK_SIZE, 0);
        try (GuardedMetadata md = open(dev, BLOCK_SIZE)) {
            md.resize(1200);
            want.resize(1200);
            for (long cb = 0; cb < 1200; cb += 7) {
                insert(md, want, cb, 1000 + cb * 3);
            }
            md.commit(false);
            verify(dev, want);

            for (long cb = 0; cb < 1200; cb += 21) {
                md.removeMapping(CacheBlock.of(cb));
                want.remove(cb);
            }
            setDirty(md, want, cb -> cb % 2 == 1);
            Map<Long, byte[]> hints = new HashMap<>();
            want.mappings.keySet().forEach(cb -> hints.put(cb, hint((int) (cb * 31 + 1))));
            md.writeHints(SMQ, cb -> hints.get(cb.value()));
            want.writeHints("smq", hints);
            md.setStats(new MetadataStats(1, 2, 3, 4));
            md.resizeDiscardBitset(1024, 16_000);
            md.setDiscard(DiscardBlock.of(7), true);
            md.setDiscard(DiscardBlock.of(15_999), true);
            md.commit(false);
            verify(dev, want);

            // Grow across many array blocks (the mapping tree gets an internal node).
            md.resize(140_000);
            want.resize(140_000);
            for (long cb = 1200; cb < 140_000; cb += 997) {
                insert(md, want, cb, 5_000 + cb);
            }
            setDirty(md, want, cb -> cb % 3 == 0);
            md.commit(false);
            verify(dev, want);
            assertThat(dirtyAbove(want, 20_000)).isNotEmpty();

            // Shrinking over dirty blocks is refused, and the transaction must then be aborted.
            assertThatThrownBy(() -> md.resize(20_000)).hasMessageContaining("unable to shrink cache due to dirty blocks");
            assertThatThrownBy(() -> md.cacheSize()).hasMessageContaining("abort");
            md.abort();
            assertThat(md.cacheSize()).isEqualTo(140_000);

            // Once the dropped blocks are clean the shrink drops their mappings.
            setDirty(md, want, cb -> cb % 3 == 0 && cb < 20_000);
            md.resize(20_000);
            want.resize(20_000);
            md.commit(true);
            verify(dev, want);
        }
        reopenAndCompare(dev, want);
    }

    private void reopenAndCompare(MemoryDevice dev, ExpectedImage want) throws IOException {
        try (GuardedMetadata md = open(dev, BLOCK_SIZE)) {
            assertThat(md.cleanWhenOpened()).isTrue();
            assertThat(md.stats()).isEqualTo(new MetadataStats(1, 2, 3, 4));
            assertThat(md.summary().cacheBlocks()).isEqualTo(20_000);
            assertThat(md.summary().policy()).isEqualTo(SMQ);
            assertThat(md.summary().discardBlockSectors()).isEqualTo(1024);
            assertThat(md.summary().discardBlocks()).isEqualTo(16_000);
            TreeMap<Long, ExpectedImage.Mapping> loaded = new TreeMap<>();
            md.loadMappings(SMQ, (ob, cb, dirty, h) -> {
                loaded.put(cb.value(), new ExpectedImage.Mapping(ob.value(), dirty));
                assertThat(h).as("hint of %s", cb).isEqualTo(want.hints.getOrDefault(cb.value(), new byte[4]));
            });
            assertThat(loaded).isEqualTo(want.mappings);
            List<Long> discarded = new ArrayList<>();
            md.loadDiscards((bs, db, d) -> {
                if (d) {
                    discarded.add(db.value());
                }
            });
            assertThat(discarded).containsExactly(7L, 15_999L);
        }
    }

    private static void insert(GuardedMetadata md, ExpectedImage want, long cb, long origin) throws IOException {
        md.insertMapping(CacheBlock.of(cb), OriginBlock.of(origin));
        want.insert(cb, origin);
    }

    private static void setDirty(GuardedMetadata md, ExpectedImage want, java.util.function.LongPredicate dirty)
            throws IOException {
        BitSet bits = new BitSet();
        for (long cb : want.mappings.keySet()) {
            boolean d = dirty.test(cb);
            bits.set((int) cb, d);
            want.setDirty(cb, d);
        }
        // Dirty bits of unmapped blocks are never stored.
        bits.set(3);
        md.setDirtyBits(want.nrCacheBlocks, bits);
    }

    private static List<Long> dirtyAbove(ExpectedImage want, long from) {
        return want.mappings.tailMap(from).entrySet().stream().filter(e -> e.getValue().dirty()).map(Map.Entry::getKey)
                .toList();
    }

    static List<Path> xmls() throws IOException {
        return MetadataTestKit.fixtureXmls();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("xmls")
    void restoredFixtureXmlPassesBothCheckersAndDumpsBack(Path xml) throws Exception {
        MemoryDevice dev = MemoryDevice.ofMiB(4);
        // Whatever was there before is replaced, as by cache_restore.
        dev.bytes()[0] = 1;
        format().restore(dev, new io.tiercache.core.tools.XmlImageReader(xml, io.tiercache.core.tools.Progress.NONE), true);
        ExpectedImage want = ExpectedImage.read(new io.tiercache.core.tools.XmlImageReader(xml, io.tiercache.core.tools.Progress.NONE));
        String expected = Files.readString(xml);
        assertThat(MetadataTestKit.normalise(want.xml())).as("our XML writer").isEqualTo(MetadataTestKit.normalise(expected));
        verify(dev, want);
        try (GuardedMetadata md = open(dev, want.blockSize)) {
            assertThat(md.cleanWhenOpened()).isTrue();
            assertThat(md.summary().policy()).isEqualTo(SMQ);
            TreeMap<Long, ExpectedImage.Mapping> loaded = new TreeMap<>();
            md.loadMappings(SMQ, (ob, cb, dirty, h) -> {
                loaded.put(cb.value(), new ExpectedImage.Mapping(ob.value(), dirty));
                assertThat(h).isEqualTo(want.hints.get(cb.value()));
            });
            assertThat(loaded).isEqualTo(want.mappings);
        }
    }

    @Test
    void restoreWithoutCleanShutdownLoadsEverythingDirty() throws Exception {
        Path xml = MetadataTestKit.FIXTURES.resolve("small.xml");
        MemoryDevice dev = MemoryDevice.ofMiB(1);
        format().restore(dev, new io.tiercache.core.tools.XmlImageReader(xml, io.tiercache.core.tools.Progress.NONE), false);
        try (GuardedMetadata md = open(dev, 128)) {
            assertThat(md.cleanWhenOpened()).isFalse();
            md.loadMappings(SMQ, (ob, cb, dirty, h) -> {
                assertThat(dirty).isTrue();
                assertThat(h).isNull();
            });
        }
    }
}
