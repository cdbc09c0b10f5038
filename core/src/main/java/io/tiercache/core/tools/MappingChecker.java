package io.tiercache.core.tools;

import java.nio.ByteBuffer;

/**
 * The checks of the mapping words (spec §5.1, §5.3), as tools 1.1 make them: only known flag bits,
 * no dirty bit and no origin on an unmapped cache block, no origin mapped twice, no origin beyond
 * the origin device (when a clean image's discard bitset tells its size). Origins mapped twice are
 * only collected here; {@link CacheChecker} names their cache blocks afterwards.
 */
final class MappingChecker implements ArrayWalker.Blocks {
    static final String STRUCTURE = "mapping array";
    static final long VALID = 1;
    static final long DIRTY = 2;
    private static final int PER_BLOCK = ArrayWalker.capacity(8);

    private final int version;
    private final BitsetReader dirtyBits;
    private final long nrOriginBlocks;
    private final Findings findings;
    private final Walk walk;
    private final Origins origins = new Origins();
    private long valid;
    private long dirty;

    /**
     * @param dirtyBits      the dirty bitset of format 2 (null for format 1)
     * @param nrOriginBlocks the origin device's size in blocks, or -1 if unknown
     */
    MappingChecker(int version, BitsetReader dirtyBits, long nrOriginBlocks, Findings findings, Walk walk) {
        this.version = version;
        this.dirtyBits = dirtyBits;
        this.nrOriginBlocks = nrOriginBlocks;
        this.findings = findings;
        this.walk = walk;
    }

    @Override
    public void block(long index, long location, ByteBuffer ab, int valueSize, int nr) {
        String where = STRUCTURE + " array block";
        long knownFlags = version == 1 ? VALID | DIRTY : VALID;
        for (int s = 0; s < nr; s++) {
            long cb = index * PER_BLOCK + s;
            long word = ab.getLong(ArrayWalker.HEADER + 8 * s);
            long flags = word & 0xFFFF;
            long origin = word >>> 16;
            boolean isValid = (flags & VALID) != 0;
            boolean isDirty = version == 1 ? (flags & DIRTY) != 0 : dirtyBits != null && dirtyBits.bits().get((int) cb);
            if ((flags & ~knownFlags) != 0) {
                findings.add(Problem.fatal(location, where, String.format("unknown flags 0x%X in the mapping", flags
                        & ~knownFlags)), "cache block", cb);
            }
            if (!isValid) {
                if (isDirty) {
                    findings.add(dirtyOnUnmapped(location, cb), "cache block", cb);
                }
                if (origin != 0) {
                    findings.add(Problem.nonFatal(location, where, "an unmapped cache block carries an origin block"),
                            "cache block", cb);
                }
                continue;
            }
            valid++;
            dirty += isDirty ? 1 : 0;
            if (nrOriginBlocks >= 0 && origin >= nrOriginBlocks) {
                walk.problem(Problem.fatal(location, where, "cache block " + cb + " maps origin block " + origin
                        + ", beyond the origin device (" + nrOriginBlocks + " blocks)"));
            }
            origins.add(origin);
        }
    }

    /** The origins mapped by more than one cache block, once the walk is over. */
    java.util.Set<Long> duplicateOrigins() {
        return origins.duplicates();
    }

    /** In format 2 the wrong bit is in the dirty bitset, so that is the block to name. */
    private Problem dirtyOnUnmapped(long mappingBlock, long cb) {
        if (version == 1) {
            return Problem.nonFatal(mappingBlock, STRUCTURE + " array block", "DIRTY flag on an unmapped cache block");
        }
        return Problem.nonFatal(dirtyBits.locationOf(cb), "dirty bitset array block",
                "dirty bit set for an unmapped cache block");
    }

    @Override
    public void lost(long from, long to, Problem why) {
        walk.problem(Problem.note(-1, STRUCTURE, "the mappings of cache blocks " + from + ".." + (to - 1)
                + " cannot be read because of the problem above"));
    }

    long valid() {
        return valid;
    }

    long dirty() {
        return dirty;
    }
}
