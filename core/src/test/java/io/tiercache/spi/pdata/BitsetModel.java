package io.tiercache.spi.pdata;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.BitSet;
import java.util.List;

/**
 * Runs a sequence of dm-bitset operations against pdata and against a {@link BitSet}, across
 * commits, aborts and reopens; also checks that bits past the length stay 0 on disk.
 */
final class BitsetModel {
    sealed interface Op permits Resize, SetRange, Commit, Reopen, Abort {}

    record Resize(int bits, boolean fill) implements Op {}

    record SetRange(int start, int count, int stride, boolean value) implements Op {}

    record Commit() implements Op {}

    record Reopen() implements Op {}

    record Abort() implements Op {}

    private final MemoryBlockIo io = MemoryBlockIo.ofMiB(4);
    private TransactionManager tm;
    private DmBitset bitset;
    private BitSet model = new BitSet();
    private int length;
    private BitSet committed = new BitSet();
    private int committedLength;

    BitsetModel() throws IOException {
        tm = TransactionManager.format(io, 2, TransactionManager.Options.readWrite());
        bitset = DmBitset.create(tm, "test bitset");
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
                bitset.resize(r.bits(), r.fill());
                if (r.bits() < length) {
                    model.clear(r.bits(), length);
                } else {
                    model.set(length, r.bits(), r.fill());
                }
                length = r.bits();
            }
            case SetRange s -> {
                for (int i = 0; i < s.count(); i++) {
                    long bit = s.start() + (long) i * s.stride();
                    if (bit >= length) {
                        break;
                    }
                    bitset.set(bit, s.value());
                    model.set((int) bit, s.value());
                }
            }
            case Commit c -> commit();
            case Reopen r -> {
                commit();
                reopen();
            }
            case Abort a -> {
                tm.abort();
                bitset = DmBitset.open(tm, "test bitset", tm.superblock().dirtyRoot(), tm.superblock().cacheBlocks());
                model = (BitSet) committed.clone();
                length = committedLength;
            }
        }
    }

    private void commit() throws IOException {
        long root = bitset.root();
        tm.commit(sb -> sb.toBuilder().dirtyRoot(root).cacheBlocks(length).build());
        committed = (BitSet) model.clone();
        committedLength = length;
        verify();
    }

    private void reopen() throws IOException {
        tm = TransactionManager.open(io, TransactionManager.Options.readWrite());
        bitset = DmBitset.open(tm, "test bitset", tm.superblock().dirtyRoot(), tm.superblock().cacheBlocks());
        verify();
    }

    private void verify() throws IOException {
        assertThat(bitset.nrBits()).isEqualTo(length);
        BitSet actual = new BitSet();
        bitset.forEachSet(bit -> actual.set((int) bit));
        assertThat(actual).isEqualTo(model);
        for (int i = 0; i < length; i += 61) {
            assertThat(bitset.test(i)).isEqualTo(model.get(i));
        }
        // Spec §4.3: bits past the length in the last word are written as 0.
        if (length % 64 != 0) {
            long last = bitset.words().get(length / 64);
            assertThat(last >>> (length % 64)).isZero();
        }
        ReferenceCounter rc = new ReferenceCounter(tm).addSuperblock().addSpaceMap(tm.spaceMap().root())
                .addArray(bitset.root(), 8, (length + 63) / 64, "test bitset");
        assertThat(rc.problems()).isEmpty();
        assertThat(rc.compareWithSpaceMap()).isEmpty();
    }
}
