package io.tiercache.spi.pdata;

import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * The persistent-data block checksum (spec §2): CRC-32C over bytes 4..4095 seeded with all ones and
 * without the final inversion, xored with the block kind's salt, stored little-endian at offset 0.
 */
public final class Checksum {
    /** Standard CRC-32C already inverts once; undoing that gives the kernel's "no final xor" value. */
    private static final int FINAL_XOR = 0xFFFFFFFF;
    private static final ThreadLocal<CRC32C> CRC = ThreadLocal.withInitial(CRC32C::new);

    private Checksum() {}

    /** The checksum a 4096-byte block should carry for the given salt. */
    public static int compute(ByteBuffer block, int salt) {
        CRC32C crc = CRC.get();
        crc.reset();
        int size = BlockManager.BLOCK_SIZE;
        if (block.hasArray()) {
            crc.update(block.array(), block.arrayOffset() + 4, size - 4);
        } else {
            crc.update(block.duplicate().limit(size).position(4));
        }
        return (int) crc.getValue() ^ FINAL_XOR ^ salt;
    }

    /** The checksum stored in the block's first four bytes (little-endian). */
    public static int stored(ByteBuffer block) {
        return leInt(block, 0);
    }

    /** Computes and stores the checksum. */
    public static void stamp(ByteBuffer block, int salt) {
        int csum = compute(block, salt);
        block.put(0, (byte) csum).put(1, (byte) (csum >>> 8)).put(2, (byte) (csum >>> 16)).put(3, (byte) (csum >>> 24));
    }

    private static int leInt(ByteBuffer b, int off) {
        return (b.get(off) & 0xFF) | (b.get(off + 1) & 0xFF) << 8 | (b.get(off + 2) & 0xFF) << 16
                | (b.get(off + 3) & 0xFF) << 24;
    }
}
