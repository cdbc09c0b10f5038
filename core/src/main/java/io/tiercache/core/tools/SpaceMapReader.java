package io.tiercache.core.tools;

import io.tiercache.spi.pdata.BlockKind;
import io.tiercache.spi.pdata.SpaceMapRoot;
import io.tiercache.spi.pdata.Validator;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.BitSet;

/**
 * Reads the reference counts the metadata space map records (spec §4.4) — index block, bitmaps of
 * two-bit entries, reference-count tree for counts of 3 and more — counting the space map's own
 * blocks as references on the way, as they are counted on disk too.
 */
final class SpaceMapReader {
    static final String STRUCTURE = "metadata space map";
    private static final String INDEX_STRUCTURE = STRUCTURE + " " + BlockKind.INDEX.description();
    static final int ENTRIES_PER_BITMAP = 16320;
    private static final int MAX_BITMAPS = 255;
    /** Marks a block whose count could not be read (its bitmap is damaged). */
    static final long UNKNOWN = -1;

    private final Walk walk;

    SpaceMapReader(Walk walk) {
        this.walk = walk;
    }

    /**
     * The count of every block the space map covers ({@link #UNKNOWN} where a bitmap is
     * unreadable), or null if the index itself cannot be read.
     */
    long[] read(SpaceMapRoot root) throws IOException {
        long nrBlocks = root.nrBlocks();
        long bitmaps = (nrBlocks + ENTRIES_PER_BITMAP - 1) / ENTRIES_PER_BITMAP;
        if (nrBlocks <= 0 || bitmaps > MAX_BITMAPS || nrBlocks > walk.nrBlocks()) {
            walk.problem(Problem.fatal(0, "superblock", "the space map claims " + Long.toUnsignedString(nrBlocks)
                    + " blocks; the device holds " + walk.nrBlocks() + " and the format at most "
                    + MAX_BITMAPS * ENTRIES_PER_BITMAP));
            return null;
        }
        if (!walk.ref(root.bitmapRoot(), INDEX_STRUCTURE, 0, "superblock")) {
            return null;
        }
        ByteBuffer index = walk.read(root.bitmapRoot(), new Validator(BlockKind.INDEX, STRUCTURE));
        if (index == null) {
            return null;
        }
        long[] counts = new long[(int) nrBlocks];
        for (int k = 0; k < bitmaps; k++) {
            readBitmap(root.bitmapRoot(), index.getLong(16 + 16 * k), k, counts);
        }
        readOverflow(root.refCountRoot(), counts);
        return counts;
    }

    private void readBitmap(long indexBlock, long b, int k, long[] counts) throws IOException {
        int first = k * ENTRIES_PER_BITMAP;
        int end = Math.min(counts.length, first + ENTRIES_PER_BITMAP);
        String structure = STRUCTURE + " " + BlockKind.BITMAP.description();
        ByteBuffer bitmap = walk.ref(b, structure, indexBlock, INDEX_STRUCTURE)
                ? walk.read(b, new Validator(BlockKind.BITMAP, STRUCTURE)) : null;
        if (bitmap == null) {
            Arrays.fill(counts, first, end, UNKNOWN);
            return;
        }
        for (int e = 0; e < ENTRIES_PER_BITMAP; e++) {
            long word = bitmap.getLong(16 + 8 * (e / 32));
            int shift = 2 * (e % 32);
            // The first bit of an entry is the high bit of its count (spec §4.4).
            int value = (int) ((word >>> shift & 1) << 1 | word >>> (shift + 1) & 1);
            if (first + e < end) {
                counts[first + e] = value;
            } else if (value != 0) {
                walk.problem(Problem.fatal(b, structure, "entry " + e + " counts block " + (first + e)
                        + ", beyond the " + counts.length + " blocks the space map covers"));
                return;
            }
        }
    }

    /** Counts of 3 and more live in the reference-count tree; nothing else may be there. */
    private void readOverflow(long root, long[] counts) throws IOException {
        String structure = STRUCTURE + " reference-count tree";
        BitSet inTree = new BitSet();
        new TreeWalker(walk).walk(root, structure, 4, 0, "superblock", (block, count, leaf) -> {
            String where = structure + " " + BlockKind.BTREE_NODE.description();
            if (block < 0 || block >= counts.length) {
                walk.problem(Problem.fatal(leaf, where, "has a count for block " + Long.toUnsignedString(block)
                        + ", beyond the " + counts.length + " blocks the space map covers"));
            } else if (counts[(int) block] != 3 && counts[(int) block] != UNKNOWN || count < 3) {
                walk.problem(Problem.fatal(leaf, where, "says block " + block + " has " + count
                        + " references but its bitmap entry is " + counts[(int) block]
                        + " (only entries of 3 have their count in the tree, and it is at least 3)"));
            } else {
                counts[(int) block] = count;
                inTree.set((int) block);
            }
        });
        for (int b = 0; b < counts.length; b++) {
            if (counts[b] == 3 && !inTree.get(b)) {
                walk.problem(Problem.fatal(-1, structure, "has no count for block " + b
                        + ", whose bitmap entry says 3 or more"));
            }
        }
    }
}
