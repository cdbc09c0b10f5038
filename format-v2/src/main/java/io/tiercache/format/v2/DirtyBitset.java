package io.tiercache.format.v2;

import io.tiercache.format.v1.DirtyBits;
import io.tiercache.spi.pdata.CacheSuperblock;
import io.tiercache.spi.pdata.DmArray;
import io.tiercache.spi.pdata.DmBitset;
import io.tiercache.spi.pdata.MetadataCorruptException;
import io.tiercache.spi.pdata.TransactionManager;
import java.io.IOException;

/**
 * Format 2's dirty state (spec §5.3): a dm-bitset at {@code dirty_root}, one bit per cache block;
 * the mapping words carry VALID only. Changed in place, word by word, rather than rebuilt as the
 * kernel does at shutdown: the result on disk is the same bitset, and unchanged blocks stay shared.
 */
final class DirtyBitset implements DirtyBits {
    static final String NAME = "dirty bitset";

    static final Store STORE = new Store() {
        @Override
        public DirtyBits create(TransactionManager tm, DmArray mappings) throws IOException {
            return new DirtyBitset(DmBitset.create(tm, NAME));
        }

        @Override
        public DirtyBits open(TransactionManager tm, DmArray mappings, CacheSuperblock sb) throws IOException {
            if (sb.dirtyRoot() == 0) {
                throw new MetadataCorruptException(0, "cache superblock", "format 2 without a dirty_root");
            }
            return new DirtyBitset(DmBitset.open(tm, NAME, sb.dirtyRoot(), Integer.toUnsignedLong(sb.cacheBlocks())));
        }
    };

    private final DmBitset bits;

    private DirtyBitset(DmBitset bits) {
        this.bits = bits;
    }

    @Override
    public boolean test(long cblock, long word) throws IOException {
        return bits.test(cblock);
    }

    @Override
    public void set(long cblock, long word, boolean dirty) throws IOException {
        bits.set(cblock, dirty);
    }

    @Override
    public void clear(long cblock) throws IOException {
        bits.clear(cblock);
    }

    @Override
    public void resize(long newBlocks) throws IOException {
        bits.resize(newBlocks, false);
    }

    @Override
    public long root() throws IOException {
        return bits.root();
    }
}
