package io.tiercache.spi.pdata;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Opens every fixture image (made by tools 0.9 and 1.1) read-only and walks every structure,
 * comparing with the independent decoder's {@code .inspect.txt} and with the XML it was restored
 * from: superblock fields, space map, every block's reference count, mappings, dirty bits, hints.
 */
class FixtureImagesTest {
    static List<Path> images() throws IOException {
        return Fixture.images();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("images")
    void walksEveryStructure(Path image) throws IOException {
        Fixture fx = Fixture.load(image);
        MemoryBlockIo io = new MemoryBlockIo(Files.readAllBytes(image));
        TransactionManager tm = TransactionManager.open(io, TransactionManager.Options.readOnlyAccess());
        CacheSuperblock sb = tm.superblock();
        checkSuperblock(fx, sb);
        checkSpaceMap(fx, tm);
        checkMappingsAndHints(fx, tm, sb);
        DmBitset discards = DmBitset.open(tm, "discard bitset", sb.discardRoot(), sb.discardNrBlocks());
        List<Long> discarded = new ArrayList<>();
        discards.forEachSet(discarded::add);
        assertThat(discarded).isEmpty();
        assertThat(discards.words().btree().size(sb.discardRoot())).isZero();
        assertThat(io.writes).as("read-only open writes nothing").isZero();
    }

    private static void checkSuperblock(Fixture fx, CacheSuperblock sb) {
        assertThat(sb.flags()).isEqualTo(fx.field("flags"));
        assertThat(sb.version()).isEqualTo(fx.field("version"));
        assertThat(sb.policyName()).isEqualTo(fx.fields().get("policy_name"));
        assertThat(sb.policyHintSize()).isEqualTo(fx.field("policy_hint_size"));
        assertThat(sb.mappingRoot()).isEqualTo(fx.field("mapping_root"));
        assertThat(sb.hintRoot()).isEqualTo(fx.field("hint_root"));
        assertThat(sb.discardRoot()).isEqualTo(fx.field("discard_root"));
        assertThat(sb.discardBlockSize()).isEqualTo(fx.field("discard_block_size"));
        assertThat(sb.discardNrBlocks()).isEqualTo(fx.field("discard_nr_blocks"));
        assertThat(sb.dataBlockSize()).isEqualTo(fx.field("data_block_size"));
        assertThat(sb.metadataBlockSize()).isEqualTo(fx.field("metadata_block_size"));
        assertThat(sb.cacheBlocks()).isEqualTo(fx.field("cache_blocks"));
        assertThat(sb.compatFlags()).isEqualTo(fx.field("compat_flags"));
        assertThat(sb.compatRoFlags()).isEqualTo(fx.field("compat_ro_flags"));
        assertThat(sb.incompatFlags()).isEqualTo(fx.field("incompat_flags"));
        assertThat(sb.readHits()).isEqualTo(fx.field("read_hits"));
        assertThat(sb.readMisses()).isEqualTo(fx.field("read_misses"));
        assertThat(sb.writeHits()).isEqualTo(fx.field("write_hits"));
        assertThat(sb.writeMisses()).isEqualTo(fx.field("write_misses"));
        CacheSuperblock.PolicyVersion pv = sb.policyVersion();
        assertThat("(" + pv.major() + ", " + pv.minor() + ", " + pv.patch() + ")").isEqualTo(fx.fields().get("policy_version"));
        String dirtyRoot = fx.fields().get("dirty_root");
        assertThat(sb.dirtyRoot()).isEqualTo("None".equals(dirtyRoot) ? 0 : Long.parseLong(dirtyRoot));
        assertThat(sb.uuid().getMostSignificantBits() | sb.uuid().getLeastSignificantBits()).isZero();
    }

    private static void checkSpaceMap(Fixture fx, TransactionManager tm) throws IOException {
        MetadataSpaceMap sm = tm.spaceMap();
        SpaceMapRoot root = tm.superblock().spaceMapRoot();
        assertThat(root.nrBlocks()).isEqualTo(fx.spaceMap().get("nr_blocks")).isEqualTo(sm.nrBlocks());
        assertThat(root.nrAllocated()).isEqualTo(fx.spaceMap().get("nr_allocated")).isEqualTo(sm.nrAllocated());
        assertThat(root.bitmapRoot()).isEqualTo(fx.spaceMap().get("bitmap_root(index)"));
        assertThat(root.refCountRoot()).isEqualTo(fx.spaceMap().get("ref_count_root"));
        for (long b = 0; b < sm.nrBlocks(); b++) {
            long expected = fx.blockCounts().getOrDefault(b, fx.leaked().contains(b) ? 1L : 0L);
            assertThat(sm.count(b)).as("count of block %d", b).isEqualTo(expected);
        }
        // Our own recount agrees, and finds exactly the leaks the decoder reports (tools 0.9 images).
        ReferenceCounter rc = new ReferenceCounter(tm).addCacheMetadata(tm.superblock());
        assertThat(rc.problems()).isEmpty();
        List<String> expectedLeaks = fx.leaked().stream()
                .map(b -> "block " + b + ": space map count 1, 0 reference(s) (leaked)").toList();
        assertThat(rc.compareWithSpaceMap()).isEqualTo(expectedLeaks);
    }

    private static void checkMappingsAndHints(Fixture fx, TransactionManager tm, CacheSuperblock sb) throws IOException {
        DmArray mappings = DmArray.open(tm, "mapping array", 8, sb.mappingRoot(), sb.cacheBlocks());
        // tools 0.9 store policy_hint_size 0 for 4-byte hints: the array blocks say 4 (spec §11.2).
        int hintSize = sb.policyHintSize() != 0 ? sb.policyHintSize() : 4;
        DmArray hints = DmArray.open(tm, "hint array", hintSize, sb.hintRoot(), sb.cacheBlocks());
        DmBitset dirty = sb.version() >= 2 ? DmBitset.open(tm, "dirty bitset", sb.dirtyRoot(), sb.cacheBlocks()) : null;
        TreeMap<Integer, TestCache.Mapping> found = new TreeMap<>();
        TreeMap<Integer, byte[]> foundHints = new TreeMap<>();
        mappings.forEach((cb, word) -> {
            if ((word & TestCache.VALID) == 0) {
                assertThat(word).as("unmapped cache block %d", cb).isZero();
                return;
            }
            assertThat(word & 0xFFFF & ~(sb.version() == 1 ? 3L : 1L)).as("flags of %d", cb).isZero();
            boolean isDirty = dirty != null ? dirty.test(cb) : (word & TestCache.DIRTY) != 0;
            found.put((int) cb, new TestCache.Mapping(word >>> 16, isDirty));
            byte[] h = new byte[hintSize];
            hints.get(cb, h);
            foundHints.put((int) cb, h);
        });
        assertThat(found).isEqualTo(fx.mappings());
        assertThat(found).hasSize(fx.validMappings());
        assertThat(found.values().stream().filter(TestCache.Mapping::dirty).count()).isEqualTo(fx.dirtyMappings());
        assertThat(foundHints.keySet()).isEqualTo(fx.hints().keySet());
        foundHints.forEach((cb, h) -> assertThat(h).as("hint %d", cb).isEqualTo(fx.hints().get(cb)));
        if (fx.name().startsWith("small.v2")) {
            // Spec §4.3/§5.3: tools 1.1 write 0x22, tools 0.9 leave 1s on unmapped blocks.
            long word = dirty.words().get(0);
            assertThat(word).isEqualTo(fx.name().contains("tpt09") ? 0x7FFFFFFFFFFFFFFEL : 0x22L);
        }
    }
}
