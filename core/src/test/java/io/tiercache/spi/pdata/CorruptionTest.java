package io.tiercache.spi.pdata;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A single flipped bit anywhere in any block in use is detected when the metadata is read, and the
 * error names that block.
 */
class CorruptionTest {
    private static byte[] image;
    private static List<Long> usedBlocks;

    @BeforeAll
    static void buildImage() throws IOException {
        MemoryBlockIo io = MemoryBlockIo.ofMiB(2);
        TransactionManager tm = TransactionManager.format(io, 2, TransactionManager.Options.readWrite());
        TestCache c = TestCache.format(tm, 2, 140_000);
        for (int cb = 0; cb < 140_000; cb += 1111) {
            c.map(cb, cb, cb % 2 == 0, cb);
        }
        c.commit(false);
        for (int cb = 5; cb < 140_000; cb += 7777) {
            c.unmap(cb - 5);
        }
        c.commit(true);
        image = io.bytes.clone();
        usedBlocks = new ArrayList<>();
        MetadataSpaceMap sm = tm.spaceMap();
        for (long b = 0; b < sm.nrBlocks(); b++) {
            if (sm.count(b) > 0) {
                usedBlocks.add(b);
            }
        }
        assertThat(readEverything(new MemoryBlockIo(image.clone()))).as("the intact image reads cleanly").isEmpty();
    }

    @Test
    void everyUsedBlockDetectsAFlippedBit() throws IOException {
        assertThat(usedBlocks).hasSizeGreaterThan(30);
        Random r = new Random(42);
        for (long b : usedBlocks) {
            // The checksum itself, the header (self-location included), the payload and the unused tail.
            int[] bytes = {0, 3, 4, 9, 16, 20, 24, 31, 100 + r.nextInt(1900), 2048 + r.nextInt(2000), 4095};
            for (int off : bytes) {
                byte[] copy = image.clone();
                int pos = (int) (b * BlockManager.BLOCK_SIZE + off);
                copy[pos] ^= (byte) (1 << r.nextInt(8));
                List<String> errors = readEverything(new MemoryBlockIo(copy));
                assertThat(errors).as("bit flipped at byte %d of block %d", off, b)
                        .anyMatch(e -> e.contains("metadata block " + b + " ("));
            }
        }
    }

    /** Opens and walks every structure; returns the errors (thrown or collected) instead of failing. */
    private static List<String> readEverything(MemoryBlockIo io) {
        List<String> errors = new ArrayList<>();
        try {
            TransactionManager tm = TransactionManager.open(io, TransactionManager.Options.readOnlyAccess());
            ReferenceCounter rc = new ReferenceCounter(tm).addCacheMetadata(tm.superblock());
            errors.addAll(rc.problems());
            TestCache.open(tm).load();
            errors.addAll(rc.compareWithSpaceMap());
        } catch (IOException e) {
            errors.add(e.getMessage());
        }
        return errors;
    }
}
