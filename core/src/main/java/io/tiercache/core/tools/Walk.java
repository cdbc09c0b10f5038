package io.tiercache.core.tools;

import io.tiercache.spi.pdata.BlockManager;
import io.tiercache.spi.pdata.MetadataCorruptException;
import io.tiercache.spi.pdata.Validator;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * What one pass over a metadata device shares: validated reads, the recount of references to
 * every block (who referred first, for explanations), the problems found and the progress.
 *
 * <p>A block referenced again is counted again but not read again, as both {@code cache_check}s
 * do: its children are referenced once, by it. That also makes a cycle finite.
 */
final class Walk {
    private final BlockManager bm;
    private final int[] refs;
    /** Index + 1 into {@link #structures} of the structure that referred to a block first. */
    private final short[] owner;
    private final List<String> structures = new ArrayList<>();
    private final BitSet walked = new BitSet();
    private final List<Problem> problems = new ArrayList<>();
    private final Progress progress;
    private final long expectedBlocks;
    private long blocksRead;

    /**
     * @param expectedBlocks how many blocks the walk will probably read (the space map's
     *                       {@code nr_allocated}); only for the progress
     */
    Walk(BlockManager bm, Progress progress, long expectedBlocks) {
        this.bm = bm;
        // Blocks past what a space map can describe are never used (the kernel ignores them too).
        this.refs = new int[(int) Math.min(bm.nrBlocks(), SuperblockChecker.MAX_METADATA_BLOCKS)];
        this.owner = new short[refs.length];
        this.progress = progress;
        this.expectedBlocks = Math.max(1, expectedBlocks);
    }

    long nrBlocks() {
        return refs.length;
    }

    /**
     * Counts a reference to {@code b} of {@code structure}, held by block {@code from}; true if the
     * block is to be read now (first reference, on the device), false if it was seen before or
     * does not exist.
     */
    boolean ref(long b, String structure, long from, String fromStructure) {
        if (b < 0 || b >= refs.length) {
            problem(Problem.fatal(from, fromStructure, "refers to block " + Long.toUnsignedString(b) + " as the "
                    + structure + ", beyond the " + refs.length + " blocks the metadata can use"));
            return false;
        }
        int i = (int) b;
        refs[i]++;
        if (owner[i] == 0) {
            owner[i] = structureId(structure);
        }
        if (walked.get(i)) {
            return false;
        }
        walked.set(i);
        return true;
    }

    private short structureId(String structure) {
        int id = structures.indexOf(structure);
        if (id < 0) {
            structures.add(structure);
            id = structures.size() - 1;
        }
        return (short) Math.min(Short.MAX_VALUE, id + 1);
    }

    /** References counted to block {@code b}. */
    int references(long b) {
        return refs[(int) b];
    }

    /** The structure that referred to {@code b} first, or null if nothing did. */
    String owner(long b) {
        int id = owner[(int) b];
        return id == 0 ? null : structures.get(id - 1);
    }

    /**
     * Reads and validates block {@code b}; a block that fails validation becomes a problem and
     * null. Only device I/O errors propagate: then there is nothing left to check.
     */
    ByteBuffer read(long b, Validator v) throws IOException {
        try {
            ByteBuffer data = bm.read(b, v).data();
            progress.update(++blocksRead, Math.max(blocksRead, expectedBlocks));
            return data;
        } catch (MetadataCorruptException e) {
            problem(Problem.of(e));
            return null;
        }
    }

    void problem(Problem p) {
        problems.add(p);
    }

    List<Problem> problems() {
        return problems;
    }
}
