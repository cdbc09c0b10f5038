package io.tiercache.core.tools;

import static org.assertj.core.api.Assertions.assertThat;

import io.tiercache.spi.pdata.MetadataSpaceMap;
import io.tiercache.spi.pdata.TransactionManager;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Any single flipped bit in any block in use — superblock, space-map index and bitmaps, every
 * B-tree node, every array block — fails {@code check}, with a problem that names that block.
 */
class FlippedBitTest {
    /**
     * Checksum, header (with the self-location), payload start, random spots, the unused tail; only
     * five spots per block in images of hundreds of blocks, to keep the test quick.
     */
    private static int[] offsets(Random r, boolean many) {
        return many ? new int[] {0, 3, 4, 8, 12, 16, 20, 24, 28, 31, 40, 100 + r.nextInt(1900), 2048 + r.nextInt(2040), 4095}
                : new int[] {r.nextInt(4), 8 + r.nextInt(24), 32 + r.nextInt(2016), 2048 + r.nextInt(2040), 4095};
    }

    @Test
    void everyUsedBlockOfEveryPassingFixture() throws IOException {
        for (String name : List.of("small.v1.tpt11.bin", "small.v2.tpt11.bin", "medium.v1.tpt11.bin",
                "medium.v2.tpt11.bin", "bigarray.v2.tpt11.bin")) {
            everyUsedBlock(name, MemoryDevice.of(Tools.FIXTURES.resolve(name)));
        }
    }

    @Test
    void everyUsedBlockOfImagesWeRestore() throws IOException {
        for (String xml : List.of("medium.xml", "bigarray.xml")) {
            for (int version : new int[] {1, 2}) {
                MemoryDevice dev = MemoryDevice.ofMiB(4);
                Restorer.restore(new TestFormat(version), dev, new XmlImageReader(Tools.FIXTURES.resolve(xml),
                        Progress.NONE), true);
                everyUsedBlock(xml + " as v" + version, dev);
            }
        }
    }

    private static void everyUsedBlock(String name, MemoryDevice image) throws IOException {
        assertThat(CacheChecker.check(image, CheckOptions.FULL, Progress.NONE).passed(false)).as(name).isTrue();
        List<Long> used = usedBlocks(image);
        assertThat(used).as(name).hasSizeGreaterThan(8);
        Random r = new Random(name.hashCode());
        for (long b : used) {
            for (int off : offsets(r, used.size() < 100)) {
                int bit = r.nextInt(8);
                // Flipped in place and back: copying megabytes per case would cost more than the checks.
                CheckReport report = CacheChecker.check(image.flip(b, off, bit), CheckOptions.FULL, Progress.NONE);
                image.flip(b, off, bit);
                assertThat(report.passed(false)).as("%s: bit %d of byte %d of block %d", name, bit, off, b).isFalse();
                assertThat(report.problems()).as("%s: bit %d of byte %d of block %d", name, bit, off, b)
                        .anyMatch(p -> p.block() == b && p.severity() == Problem.Severity.FATAL);
            }
        }
    }

    /** The blocks the space map counts (read with pdata, not with the checker under test). */
    static List<Long> usedBlocks(MemoryDevice image) throws IOException {
        TransactionManager tm = TransactionManager.open(image, TransactionManager.Options.readOnlyAccess());
        MetadataSpaceMap sm = tm.spaceMap();
        List<Long> used = new ArrayList<>();
        for (long b = 0; b < sm.nrBlocks(); b++) {
            if (sm.count(b) > 0) {
                used.add(b);
            }
        }
        return used;
    }

    @Test
    void aDamagedMappingLeafLosesItsRangeAndSaysSo() throws IOException {
        MemoryDevice image = MemoryDevice.of(Tools.FIXTURES.resolve("small.v2.tpt11.bin")).flip(3, 100, 0);
        List<String> lines = CacheChecker.check(image, CheckOptions.FULL, Progress.NONE).problems().stream()
                .map(Problem::toString).toList();
        assertThat(lines).contains("metadata block 3 (mapping array btree node): checksum mismatch: stored 0x5BBE7D96, "
                + "computed 0x" + computed(image) + "")
                .contains("note: mapping array: the mappings of cache blocks 0..63 cannot be read because of the "
                        + "problem above");
        assertThat(lines).as("the array block below the lost leaf can no longer be reached")
                .contains("non-fatal: metadata space map: blocks counted as in use but referenced by nothing (leaked; "
                        + "it holds an array block): block 2");
    }

    private static String computed(MemoryDevice image) {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(image.bytes, 3 * 4096, 4096).slice()
                .order(java.nio.ByteOrder.LITTLE_ENDIAN);
        return String.format("%08X", io.tiercache.spi.pdata.Checksum.compute(b, 121107));
    }
}
