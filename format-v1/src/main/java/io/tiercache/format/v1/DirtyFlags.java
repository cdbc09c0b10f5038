package io.tiercache.format.v1;

import io.tiercache.spi.pdata.CacheSuperblock;
import io.tiercache.spi.pdata.DmArray;
import io.tiercache.spi.pdata.TransactionManager;
import java.io.IOException;

/**
 * Format 1's dirty state: the DIRTY flag (bit 1) of each mapping word. Writing a dirty bit rewrites
 * the mapping word; an unmapped word is 0 and so already clean.
 */
final class DirtyFlags implements DirtyBits {
    static final Store STORE = new Store() {
        @Override
        public DirtyBits create(TransactionManager tm, DmArray mappings) {
            return new DirtyFlags(mappings);
        }

        @Override
        public DirtyBits open(TransactionManager tm, DmArray mappings, CacheSuperblock sb) {
            return new DirtyFlags(mappings);
        }
    };

    private final DmArray mappings;

    private DirtyFlags(DmArray mappings) {
        this.mappings = mappings;
    }

    @Override
    public boolean test(long cblock, long word) {
        return (word & MappingWord.DIRTY) != 0;
    }

    @Override
    public void set(long cblock, long word, boolean dirty) throws IOException {
        long updated = dirty ? word | MappingWord.DIRTY : word & ~MappingWord.DIRTY;
        if (updated != word) {
            mappings.set(cblock, updated);
        }
    }

    @Override
    public void clear(long cblock) {
        // The caller has just written the whole word (0, or origin | VALID): DIRTY is already clear.
    }

    @Override
    public void resize(long newBlocks) {
        // The flags live in the mapping array, which the caller resizes.
    }

    @Override
    public long root() {
        return 0;
    }
}
