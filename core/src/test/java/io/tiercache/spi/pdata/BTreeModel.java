package io.tiercache.spi.pdata;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Runs a sequence of B-tree operations against pdata and against a {@link TreeMap}, on two trees
 * that may share nodes (a clone adds a reference to the root, as a snapshot would), across commits,
 * aborts and reopens, checking content, shape and every reference count after each commit.
 */
final class BTreeModel {
    sealed interface Op permits InsertRange, RemoveRange, Clone, DropClone, Commit, Reopen, Abort {}

    /** Inserts keys {@code start + i * stride} for {@code i < count} into tree A or B. */
    record InsertRange(boolean onClone, long start, int count, int stride, long seed) implements Op {}

    record RemoveRange(boolean onClone, long start, int count, int stride) implements Op {}

    /** B becomes a copy of A sharing all its nodes (the previous B is deleted). */
    record Clone() implements Op {}

    record DropClone() implements Op {}

    record Commit() implements Op {}

    record Reopen() implements Op {}

    record Abort() implements Op {}

    private final MemoryBlockIo io = MemoryBlockIo.ofMiB(4);
    private final int valueSize;
    private final long valueMask;
    private TransactionManager tm;
    private BTree tree;
    private long rootA;
    private long rootB;
    private TreeMap<Long, Long> modelA = new TreeMap<>();
    private TreeMap<Long, Long> modelB;
    private TreeMap<Long, Long> committedA = new TreeMap<>();
    private TreeMap<Long, Long> committedB;

    BTreeModel(int valueSize) throws IOException {
        this.valueSize = valueSize;
        this.valueMask = valueSize == 8 ? -1L : (1L << (8 * valueSize)) - 1;
        tm = TransactionManager.format(io, 2, TransactionManager.Options.readWrite());
        tree = newTree();
        rootA = tree.empty();
        commit();
    }

    private BTree newTree() {
        return new BTree(tm, "test tree", valueSize, ValueType.PLAIN);
    }

    void run(List<Op> ops) throws IOException {
        for (Op op : ops) {
            apply(op);
        }
        commit();
        reopen();
    }

    private void apply(Op op) throws IOException {
        switch (op) {
            case InsertRange r -> {
                boolean b = r.onClone() && modelB != null;
                for (int i = 0; i < r.count(); i++) {
                    long key = r.start() + (long) i * r.stride();
                    long value = (r.seed() * 31 + key * 0x9E3779B97F4A7C15L) & valueMask;
                    if (b) {
                        rootB = tree.insert(rootB, key, value);
                        modelB.put(key, value);
                    } else {
                        rootA = tree.insert(rootA, key, value);
                        modelA.put(key, value);
                    }
                }
            }
            case RemoveRange r -> {
                boolean b = r.onClone() && modelB != null;
                for (int i = 0; i < r.count(); i++) {
                    long key = r.start() + (long) i * r.stride();
                    if (b) {
                        rootB = tree.remove(rootB, key);
                        modelB.remove(key);
                    } else {
                        rootA = tree.remove(rootA, key);
                        modelA.remove(key);
                    }
                }
            }
            case Clone c -> {
                dropClone();
                tm.inc(rootA);
                rootB = rootA;
                modelB = new TreeMap<>(modelA);
            }
            case DropClone d -> dropClone();
            case Commit c -> commit();
            case Reopen r -> {
                commit();
                reopen();
            }
            case Abort a -> {
                tm.abort();
                tree = newTree();
                rootA = tm.superblock().mappingRoot();
                rootB = tm.superblock().hintRoot();
                modelA = new TreeMap<>(committedA);
                modelB = committedB == null ? null : new TreeMap<>(committedB);
            }
        }
    }

    private void dropClone() throws IOException {
        if (modelB != null) {
            tree.delete(rootB);
            rootB = 0;
            modelB = null;
        }
    }

    private void commit() throws IOException {
        tm.commit(sb -> sb.toBuilder().mappingRoot(rootA).hintRoot(modelB == null ? 0 : rootB).build());
        committedA = new TreeMap<>(modelA);
        committedB = modelB == null ? null : new TreeMap<>(modelB);
        verify();
    }

    private void reopen() throws IOException {
        tm = TransactionManager.open(io, TransactionManager.Options.readWrite());
        tree = newTree();
        assertThat(tm.superblock().mappingRoot()).isEqualTo(rootA);
        verify();
    }

    private void verify() throws IOException {
        verifyContent(rootA, modelA);
        ReferenceCounter rc = new ReferenceCounter(tm).addSuperblock().addSpaceMap(tm.spaceMap().root())
                .addBTree(rootA, valueSize, "tree A", null);
        if (modelB != null) {
            verifyContent(rootB, modelB);
            rc.addBTree(rootB, valueSize, "tree B", null);
        }
        assertThat(rc.problems()).as("tree shape").isEmpty();
        assertThat(rc.compareWithSpaceMap()).as("reference counts").isEmpty();
    }

    private void verifyContent(long root, TreeMap<Long, Long> model) throws IOException {
        TreeMap<Long, Long> actual = new TreeMap<>();
        long[] last = {Long.MIN_VALUE};
        tree.walk(root, (k, v) -> {
            assertThat(k).as("ascending walk").isGreaterThan(last[0]);
            last[0] = k;
            actual.put(k, v);
        });
        assertThat(actual).isEqualTo(model);
        int i = 0;
        for (Map.Entry<Long, Long> e : model.entrySet()) {
            if (i++ % 17 == 0) {
                assertThat(tree.lookup(root, e.getKey(), -7)).isEqualTo(e.getValue());
                assertThat(tree.contains(root, e.getKey() + 1)).isEqualTo(model.containsKey(e.getKey() + 1));
            }
        }
        assertThat(tree.lookup(root, -5, -7)).isEqualTo(model.getOrDefault(-5L, -7L));
    }
}
