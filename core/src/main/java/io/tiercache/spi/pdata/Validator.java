package io.tiercache.spi.pdata;

import java.nio.ByteBuffer;

/**
 * Checks a block as it comes off the disk and prepares it for writing (the kernel's
 * {@code dm_block_validator}). One instance per structure, so errors can say which structure a bad
 * block belongs to; the block cache compares only the {@link BlockKind}.
 *
 * @param kind      which kind of block (salt, self-location offset, header checks)
 * @param structure what the block belongs to, e.g. "mapping array"; used in messages only
 */
public record Validator(BlockKind kind, String structure) {
    static final int BLOCK_SIZE = BlockManager.BLOCK_SIZE;

    /** Validates a block read from {@code location}; throws naming the block and the problem. */
    public void check(ByteBuffer data, long location) throws MetadataCorruptException {
        long claimed = data.getLong(kind.blocknrOffset());
        long expected = kind == BlockKind.SUPERBLOCK ? 0 : location;
        // Self-location first, as the kernel does: a block that was never written (all zero) or
        // a misdirected write is then reported as such rather than as a bad checksum.
        if (claimed != expected) {
            throw corrupt(location, "block number field says " + Long.toUnsignedString(claimed) + ", expected " + expected);
        }
        int stored = Checksum.stored(data);
        int computed = Checksum.compute(data, kind.salt());
        if (stored != computed) {
            throw corrupt(location, String.format("checksum mismatch: stored 0x%08X, computed 0x%08X", stored, computed));
        }
        switch (kind) {
            case BTREE_NODE -> checkNodeHeader(data, location);
            case ARRAY_BLOCK -> checkArrayHeader(data, location);
            default -> { }
        }
    }

    /** Stamps the self-location and the checksum; the last thing done before the block hits the disk. */
    public void prepareForWrite(ByteBuffer data, long location) {
        if (kind != BlockKind.SUPERBLOCK) {
            data.putLong(kind.blocknrOffset(), location);
        }
        Checksum.stamp(data, kind.salt());
    }

    /** An exception naming this validator's structure and kind. */
    public MetadataCorruptException corrupt(long location, String problem) {
        return new MetadataCorruptException(location, structure + " " + kind.description(), problem);
    }

    // Header sanity beyond the checksum protects our own code from indexing past the block on a
    // block that carries a valid checksum but nonsense (e.g. one written by a buggy tool).
    private void checkNodeHeader(ByteBuffer data, long location) throws MetadataCorruptException {
        int flags = data.getInt(4);
        long nr = Integer.toUnsignedLong(data.getInt(16));
        long max = Integer.toUnsignedLong(data.getInt(20));
        long valueSize = Integer.toUnsignedLong(data.getInt(24));
        if (flags != BTreeNode.INTERNAL && flags != BTreeNode.LEAF) {
            throw corrupt(location, "node flags " + flags + " are neither internal (1) nor leaf (2)");
        }
        if (valueSize == 0 || valueSize > BLOCK_SIZE) {
            throw corrupt(location, "value size " + valueSize);
        }
        if (BTreeNode.HEADER_SIZE + max * (8 + valueSize) > BLOCK_SIZE) {
            throw corrupt(location, "max_entries " + max + " with value size " + valueSize + " does not fit a block");
        }
        if (nr > max) {
            throw corrupt(location, "nr_entries " + nr + " > max_entries " + max);
        }
    }

    private void checkArrayHeader(ByteBuffer data, long location) throws MetadataCorruptException {
        long max = Integer.toUnsignedLong(data.getInt(4));
        long nr = Integer.toUnsignedLong(data.getInt(8));
        long valueSize = Integer.toUnsignedLong(data.getInt(12));
        if (valueSize == 0 || ArrayBlock.HEADER_SIZE + max * valueSize > BLOCK_SIZE) {
            throw corrupt(location, "max_entries " + max + " with value size " + valueSize + " does not fit a block");
        }
        if (nr > max) {
            throw corrupt(location, "nr_entries " + nr + " > max_entries " + max);
        }
    }
}
