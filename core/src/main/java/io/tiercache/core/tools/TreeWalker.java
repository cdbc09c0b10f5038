package io.tiercache.core.tools;

import io.tiercache.spi.pdata.BlockKind;
import io.tiercache.spi.pdata.Validator;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Walks a dm-btree with 64-bit keys (spec §4.1): counts every node, checks each node's shape the
 * way tools 0.9 do (value size, capacity a multiple of 3, at least a third full below the root,
 * keys strictly increasing and inside the range the parent gives) and hands the leaf entries on in
 * key order. A node that cannot be read costs exactly the key range its parent gave it; the walk
 * goes on with its siblings, and {@link Leaves#lost} says which keys were lost.
 */
final class TreeWalker {
    static final int HEADER = 32;
    static final int INTERNAL = 1;
    private static final int MAX_DEPTH = 32;

    private final Walk walk;

    TreeWalker(Walk walk) {
        this.walk = walk;
    }

    /** Receives the entries of the leaves, in order. */
    interface Leaves {
        void entry(long key, long value, long leaf) throws IOException;

        /** Keys {@code [from, to)} are unreachable ({@code to} = -1: up to the end). */
        default void lost(long from, long to, Problem why) {}
    }

    /**
     * Walks the tree at {@code root}, which {@code from} (of {@code fromStructure}) refers to.
     *
     * @param valueSize bytes per leaf value (4 or 8); internal nodes always hold 8
     */
    void walk(long root, String structure, int valueSize, long from, String fromStructure, Leaves leaves)
            throws IOException {
        Validator v = new Validator(BlockKind.BTREE_NODE, structure);
        node(root, v, valueSize, leaves, new Range(0, -1, from, fromStructure), 0);
    }

    /** The keys a parent allots a child, and the parent block, for messages. */
    private record Range(long lower, long upper, long parent, String parentStructure) {
        boolean contains(long key) {
            return Long.compareUnsigned(key, lower) >= 0 && (upper == -1 || Long.compareUnsigned(key, upper) < 0);
        }

        String describe() {
            return "[" + Long.toUnsignedString(lower) + ", " + (upper == -1 ? "end" : Long.toUnsignedString(upper)) + ")";
        }
    }

    private void node(long b, Validator v, int valueSize, Leaves leaves, Range range, int depth) throws IOException {
        String structure = v.structure() + " " + v.kind().description();
        if (!walk.ref(b, structure, range.parent(), range.parentStructure())) {
            return;
        }
        if (depth > MAX_DEPTH) {
            lose(leaves, range, Problem.fatal(b, structure, "more than " + MAX_DEPTH + " levels deep: the tree has a cycle"));
            return;
        }
        ByteBuffer n = walk.read(b, v);
        if (n == null) {
            leaves.lost(range.lower(), range.upper(), walk.problems().getLast());
            return;
        }
        boolean leaf = n.getInt(4) != INTERNAL;
        int nr = n.getInt(16);
        if (!checkShape(b, structure, n, leaf ? valueSize : 8, depth == 0)) {
            leaves.lost(range.lower(), range.upper(), walk.problems().getLast());
            return;
        }
        if (!leaf && nr == 0) {
            lose(leaves, range, Problem.fatal(b, structure, "internal node without entries"));
            return;
        }
        for (int i = 0; i < nr; i++) {
            long key = key(n, i);
            if (!range.contains(key)) {
                walk.problem(Problem.fatal(b, structure, "key " + Long.toUnsignedString(key) + " at entry " + i
                        + " lies outside " + range.describe() + ", the range its parent (block " + range.parent()
                        + ") gives it"));
            }
            if (i > 0 && Long.compareUnsigned(key(n, i - 1), key) >= 0) {
                walk.problem(Problem.fatal(b, structure, "keys out of order: entry " + i + " has key "
                        + Long.toUnsignedString(key) + " after " + Long.toUnsignedString(key(n, i - 1))));
            }
            if (leaf) {
                leaves.entry(key, value(n, i, valueSize), b);
            } else {
                long upper = i + 1 < nr ? key(n, i + 1) : range.upper();
                node(value(n, i, 8), v, valueSize, leaves, new Range(key, upper, b, structure), depth + 1);
            }
        }
    }

    private void lose(Leaves leaves, Range range, Problem why) {
        walk.problem(why);
        leaves.lost(range.lower(), range.upper(), why);
    }

    /** Reports what is wrong with a node's header; false if its values cannot be read at all. */
    private boolean checkShape(long b, String structure, ByteBuffer n, int valueSize, boolean root) {
        int nr = n.getInt(16);
        int max = n.getInt(20);
        int size = n.getInt(24);
        if (size != valueSize) {
            walk.problem(Problem.fatal(b, structure, "value size " + size + ", expected " + valueSize));
            return false;
        }
        if (max % 3 != 0) {
            walk.problem(Problem.fatal(b, structure, "max_entries " + max + " is not a multiple of 3"));
        }
        if (!root && nr < max / 3) {
            walk.problem(Problem.fatal(b, structure, "only " + nr + " entries of " + max
                    + "; every node below the root must be at least a third full (" + max / 3 + ")"));
        }
        return true;
    }

    static long key(ByteBuffer n, int i) {
        return n.getLong(HEADER + 8 * i);
    }

    /** Value {@code i} of a node whose values are {@code size} bytes (4: unsigned u32, 8: u64). */
    static long value(ByteBuffer n, int i, int size) {
        int off = HEADER + 8 * n.getInt(20) + n.getInt(24) * i;
        return size == 4 ? Integer.toUnsignedLong(n.getInt(off)) : n.getLong(off);
    }
}
