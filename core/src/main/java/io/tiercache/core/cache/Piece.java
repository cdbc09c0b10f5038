package io.tiercache.core.cache;

import java.nio.ByteBuffer;

/**
 * One part of a read or write that lies within a single cache block: what the kernel's dm core
 * hands the target after splitting at block boundaries (target-semantics §4.1).
 *
 * @param write direction
 * @param oblock the origin block
 * @param offsetInBlock byte offset within the block
 * @param data the piece's bytes (its own view; the devices consume duplicates of it)
 * @param flags {@link io.tiercache.spi.block.BlockIo#FUA} and friends
 */
record Piece(boolean write, long oblock, long offsetInBlock, ByteBuffer data, int flags) {
    boolean fua() {
        return write && (flags & io.tiercache.spi.block.BlockIo.FUA) != 0;
    }

    boolean coversBlock(long blockBytes) {
        return offsetInBlock == 0 && data.remaining() == blockBytes;
    }

    /** The byte offset on the origin (the origin is addressed like the target). */
    long originOffset(long blockBytes) {
        return oblock * blockBytes + offsetInBlock;
    }

    ByteBuffer buffer() {
        return data.duplicate();
    }
}
