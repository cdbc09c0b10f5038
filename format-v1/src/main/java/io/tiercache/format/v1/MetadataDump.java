package io.tiercache.format.v1;

import io.tiercache.spi.block.BlockIo;
import io.tiercache.spi.block.BlockIoException;
import io.tiercache.spi.block.Errno;
import io.tiercache.spi.metadata.MetadataImage;
import io.tiercache.spi.pdata.CacheSuperblock;
import io.tiercache.spi.pdata.TransactionManager;
import java.io.IOException;
import java.util.BitSet;

/**
 * {@code cache_dump}: the device as stored, read-only. Like tools 1.1: the raw
 * {@code policy_hint_size} as hint width, the stored dirty bits whatever the clean-shutdown flag
 * says, hints of valid mappings only, no discards.
 */
final class MetadataDump {
    private MetadataDump() {}

    static void dump(int version, DirtyBits.Store store, BlockIo io, MetadataImage.Visitor visitor) throws IOException {
        TransactionManager tm = TransactionManager.open(io, TransactionManager.Options.readOnlyAccess());
        CacheSuperblock sb = tm.superblock();
        if (sb.version() != version) {
            throw new BlockIoException(Errno.EINVAL, "the metadata is format " + sb.version()
                    + "; this is the format " + version + " plugin");
        }
        Transaction tx = Transaction.open(tm, store);
        visitor.superblock(new MetadataImage.Superblock("", tx.dataBlockSize, tx.cacheBlocks, tx.policy.name(),
                sb.policyHintSize()));
        BitSet valid = new BitSet();
        tx.mappings.forEach((cb, word) -> {
            if (MappingWord.valid(word)) {
                valid.set(Math.toIntExact(cb));
                visitor.mapping(cb, MappingWord.origin(word), tx.dirty.test(cb, word));
            }
        });
        if (tx.hints != null) {
            for (int cb = valid.nextSetBit(0); cb >= 0; cb = valid.nextSetBit(cb + 1)) {
                byte[] hint = new byte[tx.hints.valueSize()];
                tx.hints.get(cb, hint);
                visitor.hint(cb, hint);
            }
        }
        visitor.end();
    }
}
