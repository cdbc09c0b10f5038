package io.tiercache.spi.pdata;

/**
 * The five kinds of metadata block reachable from a dm-cache superblock (spec §1, §2). Each kind has
 * its own checksum salt, so a block read as the wrong kind fails its checksum even if the bytes are
 * otherwise intact, and stores its own block number at a fixed offset.
 */
public enum BlockKind {
    SUPERBLOCK("superblock", 9031977, 8),
    BTREE_NODE("btree node", 121107, 8),
    // dm-array's header puts max/nr/value_size first, so its self-location sits at 16, not 8.
    ARRAY_BLOCK("array block", 595846735, 16),
    BITMAP("space-map bitmap", 240779, 8),
    INDEX("space-map index", 160478, 8);

    private final String description;
    private final int salt;
    private final int blocknrOffset;

    BlockKind(String description, int salt, int blocknrOffset) {
        this.description = description;
        this.salt = salt;
        this.blocknrOffset = blocknrOffset;
    }

    /** Human-readable name used in error messages. */
    public String description() {
        return description;
    }

    /** The value xored into the CRC-32C of this kind of block. */
    public int salt() {
        return salt;
    }

    /** Offset of the u64 self-location field. */
    public int blocknrOffset() {
        return blocknrOffset;
    }
}
