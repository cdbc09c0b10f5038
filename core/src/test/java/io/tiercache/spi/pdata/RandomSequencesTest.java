package io.tiercache.spi.pdata;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The model runners of the property tests driven by seeded random sequences: reproducible by seed,
 * longer than the jqwik ones, and independent of the property-testing library.
 */
class RandomSequencesTest {
    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 4, 5, 6})
    void btree(int seed) throws IOException {
        Random r = new Random(seed);
        List<BTreeModel.Op> ops = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            int kind = r.nextInt(12);
            boolean onClone = r.nextBoolean();
            long start = r.nextInt(20_000);
            int count = 1 + r.nextInt(1500);
            int stride = 1 + r.nextInt(4);
            ops.add(switch (kind) {
                case 0, 1, 2, 3, 4 -> new BTreeModel.InsertRange(onClone, start, count, stride, r.nextLong());
                case 5, 6, 7 -> new BTreeModel.RemoveRange(onClone, start, count, stride);
                case 8 -> new BTreeModel.Clone();
                case 9 -> new BTreeModel.Commit();
                case 10 -> new BTreeModel.Reopen();
                default -> r.nextBoolean() ? new BTreeModel.Abort() : new BTreeModel.DropClone();
            });
        }
        new BTreeModel(seed % 2 == 0 ? 8 : 4).run(ops);
    }

    /** Removing every key, in any order, ends in an empty root leaf with nothing leaked. */
    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3})
    void btreeEmptiesCompletely(int stride) throws IOException {
        List<BTreeModel.Op> ops = List.of(new BTreeModel.InsertRange(false, 0, 30_000, 1, 7),
                new BTreeModel.Commit(), new BTreeModel.Clone(),
                new BTreeModel.RemoveRange(false, 0, 30_000 / stride + 1, stride),
                new BTreeModel.RemoveRange(false, 29_999, 30_000, -1),
                new BTreeModel.Reopen(), new BTreeModel.RemoveRange(true, 0, 30_000, 1));
        new BTreeModel(8).run(ops);
    }

    /** A three-level tree taken apart in random order keeps its shape at every step. */
    @Test
    void threeLevelTreeShrinksToNothing() throws IOException {
        MemoryBlockIo io = MemoryBlockIo.ofMiB(8);
        TransactionManager tm = TransactionManager.format(io, 1, TransactionManager.Options.readWrite());
        BTree tree = new BTree(tm, "deep", 4, ValueType.PLAIN);
        long root = tree.empty();
        List<Long> keys = new ArrayList<>();
        for (long k = 0; k < 60_000; k++) {
            root = tree.insert(root, k * 5, k);
            keys.add(k * 5);
        }
        assertThat(depth(tm, root)).isEqualTo(3);
        Collections.shuffle(keys, new Random(9));
        for (int i = 0; i < keys.size(); i++) {
            root = tree.remove(root, keys.get(i));
            if (i % 6000 == 0 || i == keys.size() - 1) {
                long r = root;
                tm.commit(sb -> sb.toBuilder().mappingRoot(r).build());
                ReferenceCounter rc = new ReferenceCounter(tm).addSuperblock().addSpaceMap(tm.spaceMap().root())
                        .addBTree(root, 4, "deep", null);
                assertThat(rc.problems()).isEmpty();
                assertThat(rc.compareWithSpaceMap()).isEmpty();
                assertThat(tree.size(root)).isEqualTo(keys.size() - i - 1);
            }
        }
        assertThat(depth(tm, root)).isEqualTo(1);
    }

    private static int depth(TransactionManager tm, long root) throws IOException {
        Validator v = new Validator(BlockKind.BTREE_NODE, "deep");
        int depth = 1;
        for (long b = root; !BTreeNode.isLeaf(tm.read(b, v).data()); depth++) {
            b = BTreeNode.value(tm.read(b, v).data(), 0);
        }
        return depth;
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 4})
    void array(int seed) throws IOException {
        Random r = new Random(seed);
        List<ArrayModel.Op> ops = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            int kind = r.nextInt(10);
            ops.add(switch (kind) {
                case 0, 1 -> new ArrayModel.Resize(r.nextInt(10) == 0 ? r.nextInt(200_000) : r.nextInt(5000),
                        r.nextBoolean() ? 0 : r.nextLong());
                case 2, 3, 4, 5 -> new ArrayModel.SetRange(r.nextInt(5000), 1 + r.nextInt(2000), 1 + r.nextInt(50), r.nextLong());
                case 6 -> new ArrayModel.Commit();
                case 7 -> new ArrayModel.Reopen();
                default -> new ArrayModel.Abort();
            });
        }
        new ArrayModel(seed % 2 == 0 ? 8 : 4).run(ops);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 4})
    void bitset(int seed) throws IOException {
        Random r = new Random(seed);
        List<BitsetModel.Op> ops = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            int kind = r.nextInt(10);
            ops.add(switch (kind) {
                case 0, 1 -> new BitsetModel.Resize(r.nextInt(100_000), r.nextBoolean());
                case 2, 3, 4, 5 -> new BitsetModel.SetRange(r.nextInt(100_000), 1 + r.nextInt(2000), 1 + r.nextInt(100), r.nextBoolean());
                case 6 -> new BitsetModel.Commit();
                case 7 -> new BitsetModel.Reopen();
                default -> new BitsetModel.Abort();
            });
        }
        new BitsetModel().run(ops);
    }
}
