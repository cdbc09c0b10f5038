package io.tiercache.spi.pdata;

import static org.assertj.core.api.Assertions.assertThat;

import io.tiercache.core.device.FileDevice;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Images written from scratch by pdata must pass both generations of {@code cache_check}, dump to
 * the expected XML and decode without errors or warnings in the independent decoder.
 */
class CacheCheckToolsTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(ints = {1, 2})
    void minimalImagePassesBothCheckers(int version) throws Exception {
        MemoryBlockIo io = MemoryBlockIo.ofMiB(1);
        TestCache cache = TestCache.format(format(io, version), version, 64);
        cache.commit(true);
        verifyWithTools(io, cache, "minimal-v" + version);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2})
    void smallFixtureContentPassesBothCheckers(int version) throws Exception {
        MemoryBlockIo io = MemoryBlockIo.ofMiB(1);
        TestCache cache = TestCache.format(format(io, version), version, 64);
        cache.map(0, 100, false, 1);
        cache.map(1, 7, true, 2);
        cache.map(5, 123456, true, -1);
        cache.map(63, 1, false, 0x01020304);
        cache.commit(true);
        verifyWithTools(io, cache, "small-v" + version);
    }

    /** Many transactions: splits, merges, shrinking and growing arrays, the space map moving about. */
    @ParameterizedTest
    @ValueSource(ints = {1, 2})
    void manyTransactionsStayValid(int version) throws Exception {
        MemoryBlockIo io = MemoryBlockIo.ofMiB(8);
        TestCache cache = TestCache.format(format(io, version), version, 140_000);
        Random rnd = new Random(version);
        long origin = 1_000_000;
        for (int tx = 0; tx < 12; tx++) {
            if (tx == 4) {
                cache.resize(40_000);
            }
            if (tx == 8) {
                cache.resize(150_000);
            }
            for (int k = 0; k < 300; k++) {
                int cb = rnd.nextInt(cache.cacheBlocks);
                if (rnd.nextInt(4) == 0) {
                    cache.unmap(cb);
                } else {
                    cache.map(cb, origin++, rnd.nextBoolean(), rnd.nextInt());
                }
            }
            cache.commit(tx == 11);
            if (tx % 3 == 2) {
                TransactionManager tm = TransactionManager.open(io, TransactionManager.Options.readWrite());
                TestCache reopened = TestCache.open(tm).load();
                assertThat(reopened.model).isEqualTo(cache.model);
                reopened.model.putAll(cache.model);
                cache = reopened;
            }
        }
        verifyWithTools(io, cache, "many-v" + version);
    }

    /**
     * Reference counts of 2 and of 3 and more (the overflow tree), which dm-cache itself never makes:
     * array blocks shared between several indexes, then unshared again by writes. Tools 1.1 recount
     * every reference, so they check our bitmap and overflow-tree encoding.
     */
    @ParameterizedTest
    @ValueSource(ints = {1, 2})
    void sharedBlocksAndTheOverflowTreePassBothCheckers(int version) throws Exception {
        MemoryBlockIo io = MemoryBlockIo.ofMiB(1);
        TransactionManager tm = format(io, version);
        TestCache cache = TestCache.format(tm, version, 1018 * 6);
        cache.commit(false);
        long hintBlock = share(tm, cache.hints, 0, 1, 2, 3, 4, 5);
        long mappingBlock = share(tm, cache.mappings, 3, 4);
        assertThat(tm.refCount(hintBlock)).isEqualTo(6);
        assertThat(tm.refCount(mappingBlock)).isEqualTo(2);
        cache.map(17, 99, true, 5);
        assertThat(tm.refCount(hintBlock)).as("the write copied hint block 0 out of the sharing").isEqualTo(5);
        cache.commit(true);
        verifyWithTools(io, cache, "shared-v" + version);
        TransactionManager reopened = TransactionManager.open(io, TransactionManager.Options.readWrite());
        assertThat(reopened.refCount(hintBlock)).isEqualTo(5);
        // Writes to shared blocks copy them: the counts come down through 3 to 1 again.
        cache = TestCache.open(reopened).load();
        for (int k = 1; k <= 4; k++) {
            cache.map(1018 * k + k, 1000 + k, false, k);
            cache.commit(true);
            verifyWithTools(io, cache, "unshare-" + k + "-v" + version);
        }
        assertThat(reopened.refCount(hintBlock)).isEqualTo(1);
    }

    /** Points array blocks {@code others} at block {@code first}'s location, freeing theirs. */
    private static long share(TransactionManager tm, DmArray array, int first, int... others) throws IOException {
        long shared = array.btree().lookup(array.root(), first, -1);
        long root = array.root();
        for (int bi : others) {
            tm.inc(shared);
            root = array.btree().insert(root, bi, shared);
        }
        array.replaceRoot(root);
        return shared;
    }

    /** A device with three bitmaps, and one beyond the largest usable size. */
    @ParameterizedTest
    @ValueSource(ints = {1, 2})
    void multiBitmapSpaceMapPassesBothCheckers(int version) throws Exception {
        MemoryBlockIo io = new MemoryBlockIo(3L * 16320 * 4096 - 4096 * 100);
        TestCache cache = TestCache.format(format(io, version), version, 300_000);
        for (int cb = 0; cb < 300_000; cb += 3001) {
            cache.map(cb, cb * 2L, cb % 2 == 1, cb);
        }
        cache.commit(true);
        assertThat(cache.tm.spaceMap().root().nrBlocks()).isEqualTo(3 * 16320 - 100);
        verifyWithTools(io, cache, "bitmaps-v" + version);
    }

    /** 17 GiB: the space map stops at 255 bitmaps (4,161,600 blocks), as the kernel's does. */
    @Test
    void largestDevicePassesBothCheckers() throws Exception {
        Path image = dir.resolve("huge.bin");
        try (java.io.RandomAccessFile f = new java.io.RandomAccessFile(image.toFile(), "rw")) {
            f.setLength(17L << 30);
        }
        try (FileDevice dev = FileDevice.open(image)) {
            TestCache cache = TestCache.format(TransactionManager.format(dev, 2, TransactionManager.Options.readWrite()), 2, 5000);
            cache.map(3, 5, true, 1);
            cache.commit(false);
            cache.map(4000, 6, false, 2);
            cache.commit(true);
            assertThat(cache.tm.spaceMap().nrBlocks()).isEqualTo(MetadataSpaceMap.MAX_BLOCKS);
            // inspect_meta.py loads the whole image into memory: not for 17 GiB.
            verifyWithTools(image, cache, false);
        }
    }

    private static TransactionManager format(io.tiercache.spi.block.BlockIo io, int version) throws IOException {
        return TransactionManager.format(io, version, TransactionManager.Options.readWrite());
    }

    private void verifyWithTools(MemoryBlockIo io, TestCache cache, String name) throws Exception {
        Path image = dir.resolve(name + ".bin");
        Files.write(image, io.bytes);
        verifyWithTools(image, cache, true);
    }

    private void verifyWithTools(Path image, TestCache cache, boolean decode) throws Exception {
        ReferenceCounter rc = new ReferenceCounter(cache.tm).addCacheMetadata(cache.tm.superblock());
        assertThat(rc.problems()).as("structure problems").isEmpty();
        assertThat(rc.compareWithSpaceMap()).as("reference counts").isEmpty();
        ThinTools.Result check09 = ThinTools.run(ThinTools.tools09("cache_check"), image);
        assertThat(check09.exitCode()).as("cache_check 0.9: %s", check09.describe()).isZero();
        ThinTools.Result check11 = ThinTools.run(ThinTools.tools11("cache_check"), image);
        assertThat(check11.exitCode()).as("cache_check 1.1: %s", check11.describe()).isZero();
        ThinTools.Result dump11 = ThinTools.run(ThinTools.tools11("cache_dump"), image);
        assertThat(dump11.exitCode()).as(dump11.describe()).isZero();
        assertThat(dump11.stdout().strip()).isEqualTo(cache.expectedXml());
        if (cache.version == 1) {
            ThinTools.Result dump09 = ThinTools.run(ThinTools.tools09("cache_dump"), image);
            assertThat(dump09.stdout().strip()).isEqualTo(cache.expectedXml());
        }
        if (decode) {
            ThinTools.Result inspect = ThinTools.run("python3", ThinTools.inspectMeta(), image);
            assertThat(inspect.exitCode()).as("inspect_meta.py: %s", inspect.describe()).isZero();
        }
    }
}
