package io.tiercache.format.v1;

import io.tiercache.spi.pdata.CacheSuperblock;
import io.tiercache.spi.pdata.DmArray;
import io.tiercache.spi.pdata.TransactionManager;
import java.io.IOException;

/**
 * Where a format keeps the dirty state of its cache blocks: the one thing formats 1 and 2 do
 * differently (spec §6). Format 1 uses the DIRTY flag of the mapping word, format 2 a dm-bitset at
 * {@code dirty_root}. An instance is bound to one transaction's structures and is rebuilt by abort.
 *
 * <p>Only valid mappings carry a meaningful dirty bit. Both formats keep the stored bit of an
 * unmapped block 0 (tools 1.1 {@code cache_check} rejects anything else), so a new mapping starts
 * clean on disk, as the kernel's insert does in format 1.
 */
public interface DirtyBits {
    /** The stored dirty bit of cache block {@code cblock}, whose mapping word is {@code word}. */
    boolean test(long cblock, long word) throws IOException;

    /** Stores the dirty bit of the valid mapping {@code word} at {@code cblock}. */
    void set(long cblock, long word, boolean dirty) throws IOException;

    /** {@code cblock} was just written as unmapped, or as a new (clean) mapping: clear its bit. */
    void clear(long cblock) throws IOException;

    /** The mapping array was resized to {@code newBlocks}; follow it. */
    void resize(long newBlocks) throws IOException;

    /** The superblock's {@code dirty_root}, after writing back anything cached (0 when unused). */
    long root() throws IOException;

    /** Creates or opens a format's dirty bits over the mapping array of a transaction. */
    interface Store {
        /** Empty dirty state for a freshly formatted device (0 cache blocks). */
        DirtyBits create(TransactionManager tm, DmArray mappings) throws IOException;

        /** The dirty state {@code sb} refers to, for {@code sb.cacheBlocks()} blocks. */
        DirtyBits open(TransactionManager tm, DmArray mappings, CacheSuperblock sb) throws IOException;
    }
}
