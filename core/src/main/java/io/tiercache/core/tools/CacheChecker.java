package io.tiercache.core.tools;

import io.tiercache.spi.block.BlockIo;
import io.tiercache.spi.pdata.BlockKind;
import io.tiercache.spi.pdata.BlockManager;
import io.tiercache.spi.pdata.CacheSuperblock;
import io.tiercache.spi.pdata.Checksum;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code check}: reads a metadata device as {@code cache_check} does and explains what is wrong.
 *
 * <p>It makes the checks of both tool generations (spec §8): the superblock; every node of every
 * B-tree (checksum, self-location, shape); the mapping array (length, flags, duplicates, dirty bits
 * of unmapped blocks), the dirty bitset of format 2, the hint array and the discard bitset; and the
 * space map, whose count for every block must equal the references found — a block counted but not
 * referenced has leaked. Like tools 1.1, it skips a hint array whose {@code policy_hint_size} is 0
 * (tools 0.9 write that), which then counts as leaked; so an image passes here exactly when it
 * passes tools 1.1, and nothing passes here that tools 0.9 would reject.
 *
 * <p>Read-only: the device is never written.
 */
public final class CacheChecker {
    private static final int CACHED_BLOCKS = 256;
    /** The most origin blocks a mapping word can address. */
    private static final long MAX_ORIGIN_BLOCKS = 1L << 48;

    private final BlockIo dev;
    private final CheckOptions options;
    private final Progress progress;

    private CacheChecker(BlockIo dev, CheckOptions options, Progress progress) {
        this.dev = dev;
        this.options = options;
        this.progress = progress;
    }

    /** Checks {@code dev}; only an I/O error of the device itself throws. */
    public static CheckReport check(BlockIo dev, CheckOptions options, Progress progress) throws IOException {
        return new CacheChecker(dev, options, progress).run();
    }

    private CheckReport run() throws IOException {
        List<Problem> problems = new ArrayList<>();
        if (dev.size() < BlockManager.BLOCK_SIZE) {
            problems.add(Problem.fatal(-1, "metadata device", "only " + dev.size()
                    + " bytes: too small to hold a superblock (is this binary metadata?)"));
            return new CheckReport(Optional.empty(), problems, 0);
        }
        BlockManager bm = new BlockManager(dev, CACHED_BLOCKS, true);
        CacheSuperblock sb = SuperblockChecker.check(bm.readSuperblock(), bm.nrBlocks(), problems);
        if (sb == null || options.superBlockOnly()) {
            return new CheckReport(Optional.ofNullable(sb), problems, 0);
        }
        Walk walk = new Walk(bm, progress, sb.spaceMapRoot().nrAllocated());
        walk.ref(0, SuperblockChecker.STRUCTURE, -1, "");
        Findings findings = new Findings();
        ArrayWalker arrays = new ArrayWalker(walk);
        if (!options.skipMappings()) {
            checkMappings(sb, arrays, findings, walk);
        }
        if (!options.skipHints()) {
            checkHints(sb, arrays, walk);
        }
        if (!options.skipDiscards() && sb.discardRoot() != 0) {
            BitsetReader.read(arrays, sb.discardRoot(), "discard bitset", sb.discardNrBlocks());
        }
        long[] counts = new SpaceMapReader(walk).read(sb.spaceMapRoot());
        findings.drainTo(walk.problems());
        problems.addAll(walk.problems());
        long leaked = counts == null ? 0 : compareCounts(sb, counts, walk, problems);
        return new CheckReport(Optional.of(sb), problems, leaked);
    }

    private void checkMappings(CacheSuperblock sb, ArrayWalker arrays, Findings findings, Walk walk) throws IOException {
        long cacheBlocks = Integer.toUnsignedLong(sb.cacheBlocks());
        BitsetReader dirty = sb.version() >= 2 && sb.dirtyRoot() != 0
                ? BitsetReader.read(arrays, sb.dirtyRoot(), "dirty bitset", cacheBlocks) : null;
        MappingChecker mappings = new MappingChecker(sb.version(), dirty, originBlocks(sb), findings, walk);
        arrays.walk(sb.mappingRoot(), MappingChecker.STRUCTURE, 8, cacheBlocks, mappings);
        Set<Long> duplicates = mappings.duplicateOrigins();
        if (!duplicates.isEmpty()) {
            nameDuplicates(sb, duplicates, walk);
        }
    }

    /**
     * Walks the mapping array again (its problems are already reported, and its references counted)
     * to name the cache blocks that share an origin.
     */
    private void nameDuplicates(CacheSuperblock sb, Set<Long> duplicates, Walk walk) throws IOException {
        Map<Long, Long> first = new HashMap<>();
        Walk again = new Walk(new BlockManager(dev, CACHED_BLOCKS, true), Progress.NONE, 0);
        new ArrayWalker(again).walk(sb.mappingRoot(), MappingChecker.STRUCTURE, 8,
                Integer.toUnsignedLong(sb.cacheBlocks()), (index, location, ab, size, nr) -> {
                    for (int s = 0; s < nr; s++) {
                        long word = ab.getLong(ArrayWalker.HEADER + 8 * s);
                        long origin = word >>> 16;
                        if ((word & MappingChecker.VALID) == 0 || !duplicates.contains(origin)) {
                            continue;
                        }
                        long cb = index * ArrayWalker.capacity(8) + s;
                        Long before = first.putIfAbsent(origin, cb);
                        if (before != null) {
                            walk.problem(Problem.fatal(location, MappingChecker.STRUCTURE + " array block", "cache block "
                                    + cb + " maps origin block " + origin + ", which cache block " + before + " maps already"));
                        }
                    }
                });
    }

    /**
     * The origin size, known only from a clean image's discard bitset (as tools 1.1 take it);
     * otherwise the most a mapping word can hold.
     */
    private static long originBlocks(CacheSuperblock sb) {
        if (sb.cleanShutdown() && sb.discardBlockSize() > 0 && sb.discardNrBlocks() > 0 && sb.dataBlockSize() > 0) {
            return sb.discardBlockSize() * sb.discardNrBlocks() / Integer.toUnsignedLong(sb.dataBlockSize());
        }
        return MAX_ORIGIN_BLOCKS;
    }

    private void checkHints(CacheSuperblock sb, ArrayWalker arrays, Walk walk) throws IOException {
        if (sb.hintRoot() == 0) {
            return;
        }
        if (sb.policyHintSize() == 0) {
            walk.problem(Problem.note(sb.hintRoot(), "hint array", "not checked: policy_hint_size is 0 although a "
                    + "hint array exists (tools 0.9 write 0 for 4-byte hints); like tools 1.1, its blocks then "
                    + "count as leaked"));
            return;
        }
        if (sb.policyHintSize() == 4) {
            arrays.walk(sb.hintRoot(), "hint array", 4, Integer.toUnsignedLong(sb.cacheBlocks()), (i, l, ab, s, n) -> { });
        }
    }

    /** Compares the space map with the references found; returns the number of leaked blocks. */
    private long compareCounts(CacheSuperblock sb, long[] counts, Walk walk, List<Problem> problems)
            throws IOException {
        Findings leaks = new Findings();
        long leaked = 0;
        long allocated = 0;
        for (int b = 0; b < counts.length; b++) {
            long count = counts[b];
            int found = walk.references(b);
            allocated += count != 0 ? 1 : 0;
            if (count == SpaceMapReader.UNKNOWN || count == found) {
                continue;
            }
            if (found == 0 && !options.skipsAny()) {
                leaked++;
                leaks.add(Problem.nonFatal(-1, "metadata space map", "blocks counted as in use but referenced by "
                        + "nothing (leaked; " + kindOf(b) + ")"), "block", b);
            } else if (found != 0) {
                problems.add(Problem.fatal(b, walk.owner(b), "the space map counts " + count + " reference"
                        + (count == 1 ? "" : "s") + " but " + found + " " + (found == 1 ? "was" : "were") + " found"));
            }
        }
        leaks.drainTo(problems);
        long recorded = sb.spaceMapRoot().nrAllocated();
        if (allocated != recorded && !hasUnknown(counts)) {
            problems.add(Problem.fatal(0, SuperblockChecker.STRUCTURE, "the space map root says " + recorded
                    + " blocks are allocated but its bitmaps count " + allocated));
        }
        return leaked;
    }

    private static boolean hasUnknown(long[] counts) {
        for (long c : counts) {
            if (c == SpaceMapReader.UNKNOWN) {
                return true;
            }
        }
        return false;
    }

    /** What an unreferenced block looks like, told by which checksum salt its checksum matches. */
    private String kindOf(long b) throws IOException {
        ByteBuffer raw = ByteBuffer.allocate(BlockManager.BLOCK_SIZE).order(ByteOrder.LITTLE_ENDIAN);
        dev.read(raw, b * BlockManager.BLOCK_SIZE);
        for (BlockKind kind : BlockKind.values()) {
            if (Checksum.compute(raw, kind.salt()) == Checksum.stored(raw)) {
                return "it holds " + (kind.description().matches("^[aeiou].*") ? "an " : "a ") + kind.description();
            }
        }
        return "it holds no valid metadata block";
    }
}
