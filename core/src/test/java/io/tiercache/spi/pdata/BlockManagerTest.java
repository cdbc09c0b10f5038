package io.tiercache.spi.pdata;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The block cache: dirty blocks stay pinned and unwritten until commit; clean ones are evictable. */
class BlockManagerTest {
    private static final Validator NODE = new Validator(BlockKind.BTREE_NODE, "test");

    @Test
    void dirtyBlocksArePinnedAndWrittenOnlyAtCommit() throws IOException {
        MemoryBlockIo io = MemoryBlockIo.ofMiB(16);
        // A cache of 16 clean blocks, far fewer than the transaction dirties.
        TransactionManager tm = TransactionManager.format(io, 1, new TransactionManager.Options(false, 16));
        BTree tree = new BTree(tm, "test", 8, ValueType.PLAIN);
        long root = tree.empty();
        for (long k = 0; k < 100_000; k++) {
            root = tree.insert(root, k, k * 2);
        }
        assertThat(io.writes).as("no block written before the commit").isZero();
        int pinned = tm.blockManager().dirtyBlocks();
        assertThat(pinned).isGreaterThan(400);
        long r = root;
        tm.commit(sb -> sb.toBuilder().mappingRoot(r).build());
        assertThat(io.writes).as("every pinned block, the space map and the superblock").isGreaterThan(pinned);
        assertThat(tm.blockManager().dirtyBlocks()).isZero();
        // Clean blocks are evicted and come back from the disk intact.
        long reads = tm.blockManager().diskReads();
        for (long k = 0; k < 100_000; k += 1000) {
            assertThat(tree.lookup(r, k, -1)).isEqualTo(k * 2);
        }
        assertThat(tm.blockManager().diskReads()).isGreaterThan(reads);
    }

    @Test
    void repeatedReadsHitTheCache() throws IOException {
        MemoryBlockIo io = MemoryBlockIo.ofMiB(1);
        TransactionManager tm = TransactionManager.format(io, 1, TransactionManager.Options.readWrite());
        long root = new BTree(tm, "test", 8, ValueType.PLAIN).empty();
        tm.commit(sb -> sb.toBuilder().mappingRoot(root).build());
        TransactionManager reopened = TransactionManager.open(io, TransactionManager.Options.readWrite());
        long before = reopened.blockManager().diskReads();
        for (int i = 0; i < 100; i++) {
            reopened.read(root, NODE);
        }
        assertThat(reopened.blockManager().diskReads() - before).isEqualTo(1);
    }

    @Test
    void aBlockReadAsTheWrongKindIsRejected() throws IOException {
        MemoryBlockIo io = MemoryBlockIo.ofMiB(1);
        TransactionManager tm = TransactionManager.format(io, 1, TransactionManager.Options.readWrite());
        long root = new BTree(tm, "test", 8, ValueType.PLAIN).empty();
        tm.commit(sb -> sb.toBuilder().mappingRoot(root).build());
        TransactionManager reopened = TransactionManager.open(io, TransactionManager.Options.readOnlyAccess());
        // The salt differs per kind, so a node read as an array block fails its checksum.
        assertThatThrownBy(() -> reopened.read(root, new Validator(BlockKind.ARRAY_BLOCK, "hint array")))
                .hasMessageContaining("metadata block " + root + " (hint array array block)");
        assertThatThrownBy(() -> reopened.read(200, NODE)).hasMessageContaining("metadata block 200 (test btree node)")
                .hasMessageContaining("block number field says 0");
        assertThatThrownBy(() -> reopened.read(5000, NODE)).hasMessageContaining("beyond the end of the metadata device");
    }

    @Test
    void abortForgetsTheTransaction() throws IOException {
        MemoryBlockIo io = MemoryBlockIo.ofMiB(1);
        TransactionManager tm = TransactionManager.format(io, 1, TransactionManager.Options.readWrite());
        BTree tree = new BTree(tm, "test", 8, ValueType.PLAIN);
        long root = tree.empty();
        tm.commit(sb -> sb.toBuilder().mappingRoot(root).build());
        long allocated = tm.spaceMap().nrAllocated();
        List<Long> roots = new ArrayList<>();
        long r = root;
        for (long k = 0; k < 2000; k++) {
            r = tree.insert(r, k, k);
            roots.add(r);
        }
        tm.abort();
        assertThat(tm.spaceMap().nrAllocated()).isEqualTo(allocated);
        assertThat(tree.size(tm.superblock().mappingRoot())).isZero();
        assertThat(tm.blockManager().dirtyBlocks()).isZero();
    }
}
