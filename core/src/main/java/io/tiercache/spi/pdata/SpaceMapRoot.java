package io.tiercache.spi.pdata;

import java.nio.ByteBuffer;

/**
 * The metadata space map's root as stored in the superblock (spec §4.4): the first 32 bytes of the
 * 128-byte {@code metadata_space_map_root} field; the remaining 96 bytes are zero.
 *
 * @param nrBlocks     blocks managed (metadata device size in blocks, capped at 4,161,600)
 * @param nrAllocated  blocks with a non-zero reference count
 * @param bitmapRoot   location of the index block
 * @param refCountRoot root of the reference-count B-tree (counts of 3 and more)
 */
public record SpaceMapRoot(long nrBlocks, long nrAllocated, long bitmapRoot, long refCountRoot) {
    /** Size of the superblock field that holds the root. */
    public static final int FIELD_SIZE = 128;

    /** Decodes the root at {@code offset} of {@code buf}. */
    public static SpaceMapRoot decode(ByteBuffer buf, int offset) {
        return new SpaceMapRoot(buf.getLong(offset), buf.getLong(offset + 8), buf.getLong(offset + 16),
                buf.getLong(offset + 24));
    }

    /** Writes the full 128-byte field (root and zero padding) at {@code offset}. */
    public void encode(ByteBuffer buf, int offset) {
        buf.putLong(offset, nrBlocks).putLong(offset + 8, nrAllocated).putLong(offset + 16, bitmapRoot)
                .putLong(offset + 24, refCountRoot);
        for (int i = 32; i < FIELD_SIZE; i += 8) {
            buf.putLong(offset + i, 0);
        }
    }
}
