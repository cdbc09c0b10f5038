package io.tiercache.spi.pdata;

import io.tiercache.spi.block.BlockIoException;
import io.tiercache.spi.block.Errno;

/**
 * A metadata block failed validation: wrong checksum, wrong self-location, an impossible header or
 * a structure that does not hang together. The message always names the block number, the
 * structure being read and what is wrong, because it is what a {@code check} command prints.
 */
public final class MetadataCorruptException extends BlockIoException {
    private static final long serialVersionUID = 1L;
    private final long block;
    private final String structure;
    private final String problem;

    public MetadataCorruptException(long block, String structure, String problem) {
        super(Errno.EIO, "metadata block " + block + " (" + structure + "): " + problem);
        this.block = block;
        this.structure = structure;
        this.problem = problem;
    }

    /** The block number at fault. */
    public long block() {
        return block;
    }

    /** What was being read, e.g. "mapping array btree node". */
    public String structure() {
        return structure;
    }

    /** What is wrong, without the block and structure. */
    public String problem() {
        return problem;
    }
}
