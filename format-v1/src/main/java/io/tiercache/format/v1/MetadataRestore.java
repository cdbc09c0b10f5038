package io.tiercache.format.v1;

import io.tiercache.spi.block.BlockIo;
import io.tiercache.spi.block.BlockIoException;
import io.tiercache.spi.block.Errno;
import io.tiercache.spi.metadata.MetadataImage;
import io.tiercache.spi.metadata.PolicyIdentity;
import io.tiercache.spi.pdata.BlockManager;
import io.tiercache.spi.pdata.CacheSuperblock;
import io.tiercache.spi.pdata.TransactionManager;
import java.io.IOException;
import java.nio.ByteBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code cache_restore}: formats the device and writes an image in one transaction, committed with
 * the clean-shutdown flag (unless asked otherwise). Writes what tools 1.1 write (spec §3.2, §12):
 * 4-byte hints with {@code policy_hint_size} 4 and policy version 2.0.0 (an image that says
 * {@code hint_width="0"} was dumped from a tools 0.9 image, whose hints are 4 bytes too).
 */
final class MetadataRestore implements MetadataImage.Visitor {
    private static final Logger LOG = LoggerFactory.getLogger(MetadataRestore.class);
    /** What tools 1.1 record for every policy; the in-tree policies are all 2.0.0. */
    private static final int[] POLICY_VERSION = {2, 0, 0};

    private final int version;
    private final DirtyBits.Store store;
    private final BlockIo io;
    private TransactionManager tm;
    private Transaction tx;

    private MetadataRestore(int version, DirtyBits.Store store, BlockIo io) {
        this.version = version;
        this.store = store;
        this.io = io;
    }

    static void restore(int version, DirtyBits.Store store, BlockIo io, MetadataImage.Source image, boolean clean)
            throws IOException {
        MetadataRestore r = new MetadataRestore(version, store, io);
        image.replay(r);
        if (r.tx == null) {
            throw new BlockIoException(Errno.EINVAL, "the image has no superblock");
        }
        r.tm.commit(r.tx.fill(clean ? CacheSuperblock.FLAG_CLEAN_SHUTDOWN : 0));
    }

    @Override
    public void superblock(MetadataImage.Superblock sb) throws IOException {
        if (tx != null) {
            throw new BlockIoException(Errno.EINVAL, "the image has two superblocks");
        }
        if (sb.blockSize() <= 0 || sb.blockSize() > 0xFFFF_FFFFL) {
            throw new BlockIoException(Errno.EINVAL, "block_size " + sb.blockSize() + " out of range");
        }
        if (sb.nrCacheBlocks() <= 0 || sb.nrCacheBlocks() > Transaction.MAX_CACHE_BLOCKS) {
            throw new BlockIoException(Errno.EINVAL, "nr_cache_blocks " + sb.nrCacheBlocks()
                    + " out of range (the tools cannot check an image of 0 cache blocks)");
        }
        if (sb.hintWidth() != 0 && sb.hintWidth() != Transaction.HINT_SIZE) {
            throw new BlockIoException(Errno.EINVAL, "hint_width " + sb.hintWidth() + ": only "
                    + Transaction.HINT_SIZE + "-byte hints are supported");
        }
        PolicyIdentity policy = PolicyIdentity.of(sb.policy(), POLICY_VERSION, Transaction.HINT_SIZE);
        // Like cache_restore, whatever was on the device is replaced: zero block 0, then format.
        io.write(ByteBuffer.allocate(BlockManager.BLOCK_SIZE), 0, 0);
        tm = TransactionManager.format(io, version, TransactionManager.Options.readWrite());
        tx = Transaction.format(tm, store, version, sb.blockSize());
        tx.resize(sb.nrCacheBlocks());
        tx.policy = policy;
    }

    @Override
    public void mapping(long cblock, long oblock, boolean dirty) throws IOException {
        started();
        tx.insert(cblock, oblock);
        if (dirty) {
            tx.dirty.set(cblock, MappingWord.pack(oblock, MappingWord.VALID), true);
        }
    }

    @Override
    public void hint(long cblock, byte[] data) throws IOException {
        started();
        tx.checkCacheBlock(cblock);
        tx.setHint(cblock, data);
    }

    @Override
    public void discard(long dbegin, long dend) {
        // The image does not say the discard block size; cache_restore 1.1 writes no discards either.
        LOG.debug("ignoring discarded range [{}, {}) of the image", dbegin, dend);
    }

    private void started() throws BlockIoException {
        if (tx == null) {
            throw new BlockIoException(Errno.EINVAL, "the image has no superblock before its mappings");
        }
    }
}
