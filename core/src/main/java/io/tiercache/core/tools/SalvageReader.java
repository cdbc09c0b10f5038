package io.tiercache.core.tools;

import io.tiercache.spi.block.BlockIo;
import io.tiercache.spi.block.BlockIoException;
import io.tiercache.spi.block.Errno;
import io.tiercache.spi.metadata.MetadataImage;
import io.tiercache.spi.pdata.BlockManager;
import io.tiercache.spi.pdata.CacheSuperblock;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Replays a metadata device as an image (superblock, mappings, hints): strictly, for a dump of
 * sound metadata (the first problem is an error), or leniently, for {@code repair}: whatever can
 * be read is kept and every loss is recorded, as {@code cache_repair} salvages.
 *
 * <p>Salvage errs on the side of the origin's data: a mapping whose dirty bit is unreadable is
 * replayed dirty (a needless writeback costs time; a lost dirty bit costs data), an origin mapped
 * twice keeps its first cache block only (the kernel could not load both), and hints that cannot be
 * read are simply missing (a policy copes without them).
 */
public final class SalvageReader implements MetadataImage.Source {
    private static final int CACHED_BLOCKS = 256;

    private final BlockIo dev;
    private final CacheSuperblock sb;
    private final boolean strict;
    private final Progress progress;
    private final List<Problem> problems = new ArrayList<>();
    private long mappings;
    private long hints;

    private SalvageReader(BlockIo dev, CacheSuperblock sb, boolean strict, Progress progress) {
        this.dev = dev;
        this.sb = sb;
        this.strict = strict;
        this.progress = progress;
    }

    /** Reads the superblock, which must be sound: without it there is no geometry to rebuild. */
    public static SalvageReader open(BlockIo dev, boolean strict, Progress progress) throws IOException {
        if (dev.size() < BlockManager.BLOCK_SIZE) {
            throw new BlockIoException(Errno.EINVAL, "the metadata device is too small to hold a superblock");
        }
        List<Problem> found = new ArrayList<>();
        CacheSuperblock sb = SuperblockChecker.check(new BlockManager(dev, 16, true).readSuperblock(),
                dev.size() / BlockManager.BLOCK_SIZE, found);
        if (sb == null) {
            throw new BlockIoException(Errno.EIO, "cannot read the superblock: " + found.getFirst()
                    + "; without it nothing can be salvaged");
        }
        return new SalvageReader(dev, sb, strict, progress);
    }

    public CacheSuperblock superblock() {
        return sb;
    }

    /** What could not be salvaged (empty after a strict replay, which throws instead). */
    public List<Problem> problems() {
        return problems;
    }

    public long mappings() {
        return mappings;
    }

    public long hints() {
        return hints;
    }

    /**
     * The hint width to declare: the raw field when dumping (tools 1.1 print it as stored); when
     * salvaging, 4 for a field of 0 over a hint array, as tools 0.9 read their own images.
     */
    private int hintWidth() {
        if (strict || sb.policyHintSize() != 0 || sb.hintRoot() == 0) {
            return sb.policyHintSize();
        }
        return 4;
    }

    @Override
    public void replay(MetadataImage.Visitor visitor) throws IOException {
        problems.clear();
        mappings = 0;
        hints = 0;
        long cacheBlocks = Integer.toUnsignedLong(sb.cacheBlocks());
        Walk walk = new Walk(new BlockManager(dev, CACHED_BLOCKS, true), progress, sb.spaceMapRoot().nrAllocated());
        walk.ref(0, SuperblockChecker.STRUCTURE, -1, "");
        ArrayWalker arrays = new ArrayWalker(walk);
        visitor.superblock(new MetadataImage.Superblock("", Integer.toUnsignedLong(sb.dataBlockSize()), cacheBlocks,
                sb.policyName(), hintWidth()));
        BitsetReader dirty = sb.version() >= 2 ? BitsetReader.read(arrays, sb.dirtyRoot(), "dirty bitset", cacheBlocks)
                : null;
        settle(walk);
        BitSet mapped = new BitSet();
        Set<Long> duplicates = duplicateOrigins(cacheBlocks);
        arrays.walk(sb.mappingRoot(), MappingChecker.STRUCTURE, 8, cacheBlocks,
                new Mappings(visitor, dirty, mapped, duplicates, walk));
        settle(walk);
        if (sb.hintRoot() != 0) {
            int width = strict && sb.policyHintSize() != 0 ? sb.policyHintSize() : 0;
            arrays.walk(sb.hintRoot(), "hint array", width, cacheBlocks, (index, location, ab, size, nr) -> {
                long base = index * ArrayWalker.capacity(size);
                for (int s = 0; s < nr; s++) {
                    if (mapped.get((int) (base + s))) {
                        byte[] data = new byte[size];
                        ab.get(ArrayWalker.HEADER + size * s, data);
                        visitor.hint(base + s, data);
                        hints++;
                    }
                }
            });
            settle(walk);
        }
        visitor.end();
    }

    /**
     * The origins that more than one valid mapping claims, from a first look at the mapping array
     * (its problems are reported by the second, which replays the mappings).
     */
    private Set<Long> duplicateOrigins(long cacheBlocks) throws IOException {
        Origins origins = new Origins();
        Walk look = new Walk(new BlockManager(dev, CACHED_BLOCKS, true), Progress.NONE, 0);
        new ArrayWalker(look).walk(sb.mappingRoot(), MappingChecker.STRUCTURE, 8, cacheBlocks, (i, l, ab, size, nr) -> {
            for (int s = 0; s < nr; s++) {
                long word = ab.getLong(ArrayWalker.HEADER + 8 * s);
                if ((word & MappingChecker.VALID) != 0) {
                    origins.add(word >>> 16);
                }
            }
        });
        return origins.duplicates();
    }

    /** Moves the walk's problems here; a strict replay stops at the first. */
    private void settle(Walk walk) throws IOException {
        problems.addAll(walk.problems());
        walk.problems().clear();
        if (strict && !problems.isEmpty()) {
            throw new BlockIoException(Errno.EIO, "the metadata is damaged: " + problems.getFirst()
                    + " (run check for every problem, repair to salvage what is left)");
        }
    }

    /** Replays the valid mappings of each array block, deciding their dirty bit. */
    private final class Mappings implements ArrayWalker.Blocks {
        private final MetadataImage.Visitor visitor;
        private final BitsetReader dirty;
        private final BitSet mapped;
        private final Set<Long> duplicates;
        private final Map<Long, Long> kept = new HashMap<>();
        private final Walk walk;
        private long last = -1;

        Mappings(MetadataImage.Visitor visitor, BitsetReader dirty, BitSet mapped, Set<Long> duplicates, Walk walk) {
            this.visitor = visitor;
            this.dirty = dirty;
            this.mapped = mapped;
            this.duplicates = duplicates;
            this.walk = walk;
        }

        @Override
        public void block(long index, long location, ByteBuffer ab, int valueSize, int nr) throws IOException {
            long known = sb.version() == 1 ? MappingChecker.VALID | MappingChecker.DIRTY : MappingChecker.VALID;
            for (int s = 0; s < nr; s++) {
                long cb = index * ArrayWalker.capacity(8) + s;
                long word = ab.getLong(ArrayWalker.HEADER + 8 * s);
                if ((word & MappingChecker.VALID) == 0 || cb <= last) {
                    continue;
                }
                if ((word & 0xFFFF & ~known) != 0) {
                    walk.problem(Problem.fatal(location, MappingChecker.STRUCTURE + " array block", String.format(
                            "cache block %d dropped: unknown flags 0x%X in its mapping", cb, word & 0xFFFF & ~known)));
                    continue;
                }
                Long before = duplicates.contains(word >>> 16) ? kept.putIfAbsent(word >>> 16, cb) : null;
                if (before != null) {
                    walk.problem(Problem.fatal(location, MappingChecker.STRUCTURE + " array block", "cache block " + cb
                            + " dropped: it maps origin block " + (word >>> 16) + " as cache block " + before + " does"));
                    continue;
                }
                visitor.mapping(cb, word >>> 16, isDirty(cb, word));
                mapped.set((int) cb);
                last = cb;
                mappings++;
            }
        }

        private boolean isDirty(long cb, long word) {
            if (dirty == null) {
                return (word & MappingChecker.DIRTY) != 0;
            }
            return dirty.bits().get((int) cb) || dirty.lost().get((int) cb);
        }

        @Override
        public void lost(long from, long to, Problem why) {
            walk.problem(Problem.note(-1, MappingChecker.STRUCTURE, "the mappings of cache blocks " + from + ".."
                    + (to - 1) + " are lost (" + why.what() + ")"));
        }
    }
}
