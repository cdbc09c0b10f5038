package io.tiercache.core.tools;

import io.tiercache.spi.pdata.CacheSuperblock;
import io.tiercache.spi.pdata.MetadataCorruptException;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * The superblock checks of both {@code cache_check} generations (spec §8): what the kernel needs
 * (checksum, location, magic, version, block size) and what only one tool generation insists on
 * (flag bits, feature flags, policy name termination, hint size), so that an image that passes
 * here passes both.
 */
final class SuperblockChecker {
    static final String STRUCTURE = "cache superblock";
    private static final int KNOWN_FLAGS = CacheSuperblock.FLAG_CLEAN_SHUTDOWN | CacheSuperblock.FLAG_NEEDS_CHECK;
    /** tools 0.9's "variable hint size" incompat bit: the only feature bit either generation knows. */
    private static final int INCOMPAT_VARIABLE_HINT_SIZE = 1;
    /** 255 bitmaps of 16,320 blocks: the most a metadata space map can describe. */
    static final long MAX_METADATA_BLOCKS = 255L * 16320;

    private SuperblockChecker() {}

    /** Decodes block 0 and adds its problems; null if it cannot be decoded at all. */
    static CacheSuperblock check(ByteBuffer block, long deviceBlocks, List<Problem> problems) {
        if (allZero(block)) {
            problems.add(Problem.fatal(0, STRUCTURE, "block 0 is all zero: the device holds no metadata "
                    + "(never formatted, or wiped)"));
            return null;
        }
        CacheSuperblock sb;
        try {
            sb = CacheSuperblock.decode(block);
        } catch (MetadataCorruptException e) {
            problems.add(Problem.of(e));
            if (block.get(0) == '<') {
                problems.add(Problem.note(0, STRUCTURE, "this looks like XML: check reads binary metadata ('tiercache "
                        + "restore' turns XML into metadata)"));
            }
            return null;
        }
        checkFields(block, sb, deviceBlocks, problems);
        return fits(sb, deviceBlocks, problems) ? sb : null;
    }

    /**
     * Whether the arrays the superblock sizes could exist on this device at all: an absurd size
     * (a damaged superblock whose checksum happens to hold) must not make the walk allocate for it.
     */
    private static boolean fits(CacheSuperblock sb, long deviceBlocks, List<Problem> problems) {
        long maxEntries = Math.min(deviceBlocks, MAX_METADATA_BLOCKS) * ArrayWalker.capacity(8);
        long cacheBlocks = Integer.toUnsignedLong(sb.cacheBlocks());
        long discardWords = (sb.discardNrBlocks() + 63) >>> 6;
        if (cacheBlocks > maxEntries || sb.discardNrBlocks() < 0 || discardWords > maxEntries) {
            fatal(problems, "cache_blocks " + cacheBlocks + " and discard_nr_blocks "
                    + Long.toUnsignedString(sb.discardNrBlocks()) + " cannot fit in " + deviceBlocks
                    + " metadata blocks; nothing further can be checked");
            return false;
        }
        return true;
    }

    private static void checkFields(ByteBuffer raw, CacheSuperblock sb, long deviceBlocks, List<Problem> problems) {
        if ((sb.flags() & ~KNOWN_FLAGS) != 0) {
            fatal(problems, String.format("unknown flag bits 0x%X (only CLEAN_SHUTDOWN 0x1 and NEEDS_CHECK 0x2 exist)",
                    sb.flags() & ~KNOWN_FLAGS));
        }
        if (raw.get(44 + 15) != 0) {
            fatal(problems, "the policy name fills all 16 bytes: it must end with a NUL");
        }
        if (sb.metadataBlockSize() != CacheSuperblock.METADATA_BLOCK_SECTORS) {
            fatal(problems, "metadata_block_size is " + sb.metadataBlockSize() + " sectors; only 8 (4096 bytes) exists");
        }
        if (sb.compatFlags() != 0 || sb.compatRoFlags() != 0) {
            fatal(problems, String.format("unknown feature flags: compat 0x%X, compat_ro 0x%X", sb.compatFlags(),
                    sb.compatRoFlags()));
        }
        if ((sb.incompatFlags() & ~INCOMPAT_VARIABLE_HINT_SIZE) != 0) {
            fatal(problems, String.format("unknown incompat feature flags 0x%X", sb.incompatFlags()));
        }
        checkHintSize(sb, problems);
        if (sb.version() >= 2 && sb.dirtyRoot() == 0) {
            fatal(problems, "format 2 without a dirty bitset (dirty_root is 0)");
        }
        if (Integer.toUnsignedLong(sb.cacheBlocks()) == 0) {
            fatal(problems, "cache_blocks is 0: an image the kernel never commits, and tools 0.9 reject");
        }
        if (sb.dataBlockSize() == 0) {
            fatal(problems, "data_block_size is 0");
        }
        long smBlocks = sb.spaceMapRoot().nrBlocks();
        if (smBlocks > deviceBlocks) {
            fatal(problems, "the space map covers " + smBlocks + " blocks but the device holds only " + deviceBlocks
                    + " (was the metadata copied to a smaller device?)");
        }
    }

    /**
     * tools 1.1 read the raw size: 0 means no hints (the array then counts as leaked), 4 is walked,
     * anything else is refused. tools 0.9 take 4 unless the variable-hint-size bit is set, and then
     * want a multiple of 4 up to 128.
     */
    private static void checkHintSize(CacheSuperblock sb, List<Problem> problems) {
        int size = sb.policyHintSize();
        if (sb.hintRoot() != 0 && size != 0 && size != 4) {
            fatal(problems, "policy_hint_size " + Integer.toUnsignedString(size) + ": only 4-byte hints are supported");
        } else if ((sb.incompatFlags() & INCOMPAT_VARIABLE_HINT_SIZE) != 0 && (size % 4 != 0 || size > 128 || size < 0)) {
            fatal(problems, "policy_hint_size " + Integer.toUnsignedString(size) + " with the variable hint size "
                    + "feature: it must be a multiple of 4 up to 128");
        }
    }

    private static void fatal(List<Problem> problems, String what) {
        problems.add(Problem.fatal(0, STRUCTURE, what));
    }

    private static boolean allZero(ByteBuffer b) {
        for (int i = 0; i < b.capacity(); i += 8) {
            if (b.getLong(i) != 0) {
                return false;
            }
        }
        return true;
    }
}
