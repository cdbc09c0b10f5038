package io.tiercache.spi.pdata;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tiercache.core.device.FileDevice;
import io.tiercache.spi.block.BlockIoException;
import io.tiercache.spi.block.Errno;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Path;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Structures built from scratch on a zeroed file, committed, and read back through a new open. */
class RoundTripTest {
    @TempDir
    Path dir;

    private Path zeroedFile(String name, long bytes) throws IOException {
        Path p = dir.resolve(name);
        try (RandomAccessFile f = new RandomAccessFile(p.toFile(), "rw")) {
            f.setLength(bytes);
        }
        return p;
    }

    @Test
    void everyStructureSurvivesReopen() throws IOException {
        Path file = zeroedFile("meta.bin", 8L << 20);
        TreeMap<Integer, TestCache.Mapping> mappings;
        TreeMap<Integer, Integer> hints;
        long treeRoot;
        TreeMap<Long, Long> treeModel = new TreeMap<>();
        try (FileDevice dev = FileDevice.open(file)) {
            assertThat(TransactionManager.isBlank(dev)).isTrue();
            TransactionManager tm = TransactionManager.format(dev, 2, TransactionManager.Options.readWrite());
            TestCache cache = TestCache.format(tm, 2, 20_000);
            for (int cb = 0; cb < 20_000; cb += 37) {
                cache.map(cb, 3L * cb + 1, cb % 5 == 0, cb * 7);
            }
            BTree tree = new BTree(tm, "extra tree", 8, ValueType.PLAIN);
            long root = tree.empty();
            for (long k = 0; k < 5000; k++) {
                root = tree.insert(root, k * k, ~k);
                treeModel.put(k * k, ~k);
            }
            treeRoot = root;
            cache.resize(15_000);
            java.util.function.UnaryOperator<CacheSuperblock> fill = cache.fill(true);
            CacheSuperblock sb = tm.commit(s -> fill.apply(s).toBuilder().discardBlockSize(treeRoot).build());
            assertThat(sb.cleanShutdown()).isTrue();
            mappings = cache.model;
            hints = cache.hintModel;
        }
        assertThat(TransactionManager.isBlank(FileDevice.open(file))).isFalse();
        try (FileDevice dev = FileDevice.open(file)) {
            TransactionManager tm = TransactionManager.open(dev, TransactionManager.Options.readWrite());
            TestCache cache = TestCache.open(tm).load();
            assertThat(cache.cacheBlocks).isEqualTo(15_000);
            assertThat(cache.model).isEqualTo(mappings);
            assertThat(cache.hintModel).isEqualTo(hints);
            TreeMap<Long, Long> read = new TreeMap<>();
            new BTree(tm, "extra tree", 8, ValueType.PLAIN).walk(tm.superblock().discardBlockSize(), read::put);
            assertThat(read).isEqualTo(treeModel);
            assertThat(tm.superblock().policyName()).isEqualTo("smq");
            // Spec §7.1 step 7: clear CLEAN_SHUTDOWN in place at open; nothing else changes.
            CacheSuperblock before = tm.superblock();
            tm.writeFlags(0);
            CacheSuperblock after = TransactionManager.open(dev, TransactionManager.Options.readOnlyAccess()).superblock();
            assertThat(after).isEqualTo(before.withFlags(0));
        }
    }

    @Test
    void readOnlyRefusesWrites() throws IOException {
        MemoryBlockIo io = MemoryBlockIo.ofMiB(1);
        TestCache.format(TransactionManager.format(io, 1, TransactionManager.Options.readWrite()), 1, 64).commit(true);
        TransactionManager ro = TransactionManager.open(io, TransactionManager.Options.readOnlyAccess());
        DmArray m = DmArray.open(ro, "mapping array", 8, ro.superblock().mappingRoot(), 64);
        assertThat(m.get(5)).isZero();
        assertThatThrownBy(() -> m.set(5, 1)).isInstanceOfSatisfying(BlockIoException.class,
                e -> assertThat(e.errno()).isEqualTo(Errno.EROFS));
        assertThatThrownBy(() -> ro.commit(s -> s)).isInstanceOf(BlockIoException.class);
        assertThatThrownBy(() -> TransactionManager.format(io, 1, TransactionManager.Options.readWrite()))
                .isInstanceOfSatisfying(BlockIoException.class, e -> assertThat(e.errno()).isEqualTo(Errno.EEXIST));
        assertThatThrownBy(() -> TransactionManager.open(MemoryBlockIo.ofMiB(1), TransactionManager.Options.readOnlyAccess()))
                .hasMessageContaining("not formatted");
    }

    /** A device larger than the format can describe uses 255 bitmaps (spec §1: 4,161,600 blocks). */
    @Test
    void largestDeviceIsCapped() throws IOException {
        Path file = zeroedFile("huge.bin", 17L << 30);
        try (FileDevice dev = FileDevice.open(file)) {
            TransactionManager tm = TransactionManager.format(dev, 2, TransactionManager.Options.readWrite());
            TestCache.format(tm, 2, 1000).commit(true);
            assertThat(tm.spaceMap().nrBlocks()).isEqualTo(MetadataSpaceMap.MAX_BLOCKS).isEqualTo(4_161_600);
            TransactionManager again = TransactionManager.open(dev, TransactionManager.Options.readOnlyAccess());
            assertThat(again.spaceMap().nrAllocated()).isEqualTo(tm.spaceMap().nrAllocated());
            ReferenceCounter rc = new ReferenceCounter(again).addCacheMetadata(again.superblock());
            assertThat(rc.problems()).isEmpty();
            assertThat(rc.compareWithSpaceMap()).isEmpty();
            // Layout as the kernel's: superblock, index, reference-count tree, then the 255 bitmaps.
            SpaceMapRoot root = again.superblock().spaceMapRoot();
            assertThat(root.bitmapRoot()).isEqualTo(1);
            assertThat(root.refCountRoot()).isEqualTo(2);
            // ... plus mapping tree + 2 array blocks, dirty tree + 1, discard tree, hint tree + 1.
            assertThat(root.nrAllocated()).isEqualTo(3 + 255 + (1 + 2) + (1 + 1) + 1 + (1 + 1));
        }
    }
}
