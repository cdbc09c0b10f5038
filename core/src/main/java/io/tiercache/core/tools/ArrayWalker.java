package io.tiercache.core.tools;

import io.tiercache.spi.pdata.BlockKind;
import io.tiercache.spi.pdata.Validator;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Walks a dm-array (spec §4.2) — or a dm-bitset, an array of u64 words (§4.3): the B-tree of
 * array-block locations, then each array block, checking that the keys are 0, 1, 2, ... and that
 * every block is full but the last, so that the array holds exactly the length the superblock
 * says. Each readable array block goes to {@link Blocks#block} once; entries that cannot be reached
 * go to {@link Blocks#lost} as ranges of entry indexes.
 */
final class ArrayWalker {
    static final int HEADER = 24;

    private final Walk walk;
    private final TreeWalker trees;

    ArrayWalker(Walk walk) {
        this.walk = walk;
        this.trees = new TreeWalker(walk);
    }

    /** Receives an array's blocks. */
    interface Blocks {
        /**
         * Array block {@code index} at {@code location}: {@code entries} values of {@code valueSize}
         * bytes from offset 24 (never more than the array's length leaves for this block).
         */
        void block(long index, long location, ByteBuffer ab, int valueSize, int entries) throws IOException;

        /** Entries {@code [from, to)} cannot be read. */
        default void lost(long from, long to, Problem why) {}
    }

    /** Values per array block: 509 for 8-byte values, 1018 for 4-byte values. */
    static int capacity(int valueSize) {
        return (4096 - HEADER) / valueSize;
    }

    /**
     * Walks the array at {@code root} of {@code length} entries of {@code valueSize} bytes, or of the
     * size the first array block records if {@code valueSize} is 0 (hints of tools 0.9 images).
     */
    void walk(long root, String structure, int valueSize, long length, Blocks blocks) throws IOException {
        Validator v = new Validator(BlockKind.ARRAY_BLOCK, structure);
        State s = new State(structure, valueSize, length, blocks, v);
        trees.walk(root, structure, 8, 0, "superblock", new TreeWalker.Leaves() {
            @Override
            public void entry(long key, long location, long leaf) throws IOException {
                s.entry(key, location, leaf);
            }

            @Override
            public void lost(long from, long to, Problem why) {
                s.lostBlocks(from, to, why);
            }
        });
        s.finish();
    }

    /** One walk's bookkeeping: the next expected key and the value size once known. */
    private final class State {
        private final String structure;
        private final String blockStructure;
        private final long length;
        private final Blocks blocks;
        private final Validator v;
        private int valueSize;
        private long next;

        State(String structure, int valueSize, long length, Blocks blocks, Validator v) {
            this.structure = structure;
            this.blockStructure = structure + " " + v.kind().description();
            this.valueSize = valueSize;
            this.length = length;
            this.blocks = blocks;
            this.v = v;
        }

        private int cap() {
            return capacity(valueSize == 0 ? 8 : valueSize);
        }

        private long nrBlocks() {
            return (length + cap() - 1) / cap();
        }

        void entry(long key, long location, long leaf) throws IOException {
            if (key != next) {
                Problem p = Problem.fatal(leaf, structure + " btree node", "array block index "
                        + Long.toUnsignedString(key) + " where " + next + " was expected");
                walk.problem(p);
                if (Long.compareUnsigned(key, next) > 0) {
                    lostBlocks(next, key, p);
                }
            }
            next = Math.max(next, key + 1);
            if (key < 0 || key >= nrBlocks()) {
                walk.problem(Problem.fatal(leaf, structure + " btree node", "array block index "
                        + Long.toUnsignedString(key) + " is beyond the " + nrBlocks() + " blocks that "
                        + length + " entries need"));
            }
            if (!walk.ref(location, blockStructure, leaf, structure + " btree node")) {
                return;
            }
            ByteBuffer ab = walk.read(location, v);
            if (ab == null) {
                lostBlocks(key, key + 1, walk.problems().getLast());
            } else if (checkBlock(key, location, ab)) {
                int expected = (int) Math.min(cap(), length - key * cap());
                blocks.block(key, location, ab, valueSize, Math.min(ab.getInt(8), expected));
            }
        }

        /** Checks the header against the array's geometry; false if the values cannot be trusted. */
        private boolean checkBlock(long key, long location, ByteBuffer ab) {
            int max = ab.getInt(4);
            int nr = ab.getInt(8);
            int size = ab.getInt(12);
            if (valueSize == 0) {
                valueSize = size;
            }
            if (size != valueSize || max != capacity(size)) {
                Problem p = Problem.fatal(location, blockStructure, "value size " + size + " and max_entries " + max
                        + ", expected " + valueSize + " and " + capacity(valueSize));
                walk.problem(p);
                lostBlocks(key, key + 1, p);
                return false;
            }
            long expected = Math.max(0, Math.min(max, length - key * max));
            if (nr != expected && key < nrBlocks()) {
                Problem p = Problem.fatal(location, blockStructure, "holds " + nr + " entries where " + expected
                        + " are expected (every block full but the last, " + length + " entries in all)");
                walk.problem(p);
                if (nr < expected) {
                    blocks.lost(key * max + nr, key * max + expected, p);
                }
            }
            return key < nrBlocks();
        }

        /** Array blocks {@code [from, to)} (to = -1: to the end) are gone: so are their entries. */
        void lostBlocks(long from, long to, Problem why) {
            long first = Math.min(length, from * cap());
            long last = to == -1 || to > nrBlocks() ? length : Math.min(length, to * cap());
            if (last > first) {
                blocks.lost(first, last, why);
            }
            if (to == -1 || to > next) {
                next = to == -1 ? Long.MAX_VALUE : to;
            }
        }

        void finish() {
            if (next < nrBlocks()) {
                Problem p = Problem.fatal(-1, structure, "has " + next + " array blocks; " + length + " entries need "
                        + nrBlocks() + ": entries " + next * cap() + " to " + (length - 1) + " are missing");
                walk.problem(p);
                blocks.lost(next * cap(), length, p);
            }
        }
    }
}
