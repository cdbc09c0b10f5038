package io.tiercache.core.tools;

import io.tiercache.spi.block.BlockIo;
import io.tiercache.spi.pdata.BlockKind;
import io.tiercache.spi.pdata.BlockManager;
import io.tiercache.spi.pdata.CacheSuperblock;
import io.tiercache.spi.pdata.Checksum;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Clears NEEDS_CHECK in place, as tools 1.1 {@code cache_check --clear-needs-check-flag} do: only
 * the flags word and the checksum change; every other byte of block 0 stays as it was (tools 0.9
 * re-pack the whole superblock, which also rewrites the hint size, spec §7.4).
 */
public final class SuperblockFlags {
    private static final int FLAGS_OFFSET = 4;

    private SuperblockFlags() {}

    /** Clears the flag if set; true if block 0 was rewritten. The caller checked the superblock first. */
    public static boolean clearNeedsCheck(BlockIo dev) throws IOException {
        ByteBuffer block = ByteBuffer.allocate(BlockManager.BLOCK_SIZE).order(ByteOrder.LITTLE_ENDIAN);
        dev.read(block, 0);
        int flags = block.getInt(FLAGS_OFFSET);
        if ((flags & CacheSuperblock.FLAG_NEEDS_CHECK) == 0) {
            return false;
        }
        block.putInt(FLAGS_OFFSET, flags & ~CacheSuperblock.FLAG_NEEDS_CHECK);
        Checksum.stamp(block, BlockKind.SUPERBLOCK.salt());
        dev.write(block.clear(), 0, BlockIo.FUA);
        dev.flush();
        return true;
    }
}
