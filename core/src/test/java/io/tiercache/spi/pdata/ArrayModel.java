package io.tiercache.spi.pdata;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;

/**
 * Runs a sequence of dm-array operations against pdata and against a {@code long[]}, across
 * commits, aborts and reopens, checking values, shape and reference counts after each commit.
 */
final class ArrayModel {
    sealed interface Op permits Resize, SetRange, Commit, Reopen, Abort {}

    record Resize(int length, long fill) implements Op {}

    /** Sets {@code count} entries from {@code start} (clipped to the length) to values from {@code seed}. */
    record SetRange(int start, int count, int stride, long seed) implements Op {}

    record Commit() implements Op {}

    record Reopen() implements Op {}

    record Abort() implements Op {}

    private final MemoryBlockIo io = MemoryBlockIo.ofMiB(8);
    private final int valueSize;
    private final long mask;
    private TransactionManager tm;
    private DmArray array;
    private long[] model = new long[0];
    private long[] committed = new long[0];

    ArrayModel(int valueSize) throws IOException {
        this.valueSize = valueSize;
        this.mask = valueSize == 8 ? -1L : (1L << (8 * valueSize)) - 1;
        tm = TransactionManager.format(io, 1, TransactionManager.Options.readWrite());
        array = DmArray.create(tm, "test array", valueSize);
        commit();
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
            case Resize r -> {
                long fill = r.fill() & mask;
                array.resize(r.length(), fill);
                int old = model.length;
                model = Arrays.copyOf(model, r.length());
                if (r.length() > old) {
                    Arrays.fill(model, old, r.length(), fill);
                }
            }
            case SetRange s -> {
                for (int i = 0; i < s.count(); i++) {
                    long index = s.start() + (long) i * s.stride();
                    if (index >= model.length) {
                        break;
                    }
                    long v = (s.seed() + index * 0x9E3779B97F4A7C15L) & mask;
                    array.set(index, v);
                    model[(int) index] = v;
                }
            }
            case Commit c -> commit();
            case Reopen r -> {
                commit();
                reopen();
            }
            case Abort a -> {
                tm.abort();
                CacheSuperblock sb = tm.superblock();
                array = DmArray.open(tm, "test array", valueSize, sb.mappingRoot(), sb.cacheBlocks());
                model = committed.clone();
            }
        }
    }

    private void commit() throws IOException {
        tm.commit(sb -> sb.toBuilder().mappingRoot(array.root()).cacheBlocks(model.length).build());
        committed = model.clone();
        verify();
    }

    private void reopen() throws IOException {
        tm = TransactionManager.open(io, TransactionManager.Options.readWrite());
        CacheSuperblock sb = tm.superblock();
        array = DmArray.open(tm, "test array", valueSize, sb.mappingRoot(), sb.cacheBlocks());
        verify();
    }

    private void verify() throws IOException {
        assertThat(array.length()).isEqualTo(model.length);
        long[] actual = new long[model.length];
        long[] next = {0};
        array.forEach((i, v) -> {
            assertThat(i).isEqualTo(next[0]++);
            actual[(int) i] = v;
        });
        assertThat(next[0]).isEqualTo(model.length);
        assertThat(actual).isEqualTo(model);
        for (int i = 0; i < model.length; i += 97) {
            assertThat(array.get(i)).isEqualTo(model[i]);
        }
        ReferenceCounter rc = new ReferenceCounter(tm).addSuperblock().addSpaceMap(tm.spaceMap().root())
                .addArray(array.root(), valueSize, model.length, "test array");
        assertThat(rc.problems()).as("array shape").isEmpty();
        assertThat(rc.compareWithSpaceMap()).as("reference counts").isEmpty();
    }
}
