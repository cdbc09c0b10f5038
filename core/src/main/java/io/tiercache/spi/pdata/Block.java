package io.tiercache.spi.pdata;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * One 4 KiB metadata block held by the {@link BlockManager}: its location, its validator and its
 * bytes (a little-endian heap buffer; every accessor used on it is absolute, so its position does
 * not matter). A clean block must not be modified: only blocks handed out by a write lock may be.
 */
public final class Block {
    private final long location;
    private final Validator validator;
    private final ByteBuffer data;

    Block(long location, Validator validator) {
        this.location = location;
        this.validator = validator;
        this.data = ByteBuffer.allocate(BlockManager.BLOCK_SIZE).order(ByteOrder.LITTLE_ENDIAN);
    }

    /** The block number. */
    public long location() {
        return location;
    }

    /** The validator the block was read or created with. */
    public Validator validator() {
        return validator;
    }

    /** The block's bytes (little-endian, capacity 4096). */
    public ByteBuffer data() {
        return data;
    }

    /** Copies every byte of {@code other} into this block. */
    void copyFrom(Block other) {
        System.arraycopy(other.data.array(), 0, data.array(), 0, BlockManager.BLOCK_SIZE);
    }

    @Override
    public String toString() {
        return "block " + location + " (" + validator.structure() + " " + validator.kind().description() + ")";
    }
}
