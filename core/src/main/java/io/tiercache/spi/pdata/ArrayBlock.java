package io.tiercache.spi.pdata;

import java.nio.ByteBuffer;

/**
 * Accessors for the dm-array block layout (spec §4.2): csum, max_entries, nr_entries, value_size,
 * blocknr (u64 at 16), then {@code max_entries} packed values from offset 24.
 */
final class ArrayBlock {
    static final int HEADER_SIZE = 24;

    private ArrayBlock() {}

    /** Values per block: 509 for 8-byte values, 1018 for 4-byte values. */
    static int capacity(int valueSize) {
        return (BlockManager.BLOCK_SIZE - HEADER_SIZE) / valueSize;
    }

    static void init(ByteBuffer b, int valueSize) {
        b.putInt(4, capacity(valueSize));
        b.putInt(8, 0);
        b.putInt(12, valueSize);
    }

    static int maxEntries(ByteBuffer b) {
        return b.getInt(4);
    }

    static int nrEntries(ByteBuffer b) {
        return b.getInt(8);
    }

    static void setNrEntries(ByteBuffer b, int nr) {
        b.putInt(8, nr);
    }

    static int valueSize(ByteBuffer b) {
        return b.getInt(12);
    }

    static int offset(int valueSize, int slot) {
        return HEADER_SIZE + valueSize * slot;
    }
}
