package io.tiercache.format.v1;

/**
 * The 64-bit value of a mapping array entry (spec §5.1): the origin block in bits 63..16, flags in
 * bits 15..0. {@code VALID} in both formats; {@code DIRTY} only in format 1 (format 2 keeps dirty
 * bits in a bitset and never sets it). An unmapped cache block is the value 0.
 */
public final class MappingWord {
    public static final long VALID = 1;
    public static final long DIRTY = 2;
    /** Origins are 48 bits wide. */
    public static final long MAX_ORIGIN = (1L << 48) - 1;
    private static final int FLAG_BITS = 16;
    private static final long FLAG_MASK = (1L << FLAG_BITS) - 1;

    private MappingWord() {}

    public static long pack(long oblock, long flags) {
        if (oblock < 0 || oblock > MAX_ORIGIN) {
            throw new IllegalArgumentException("origin block " + oblock + " does not fit 48 bits");
        }
        return oblock << FLAG_BITS | flags;
    }

    public static long origin(long word) {
        return word >>> FLAG_BITS;
    }

    public static long flags(long word) {
        return word & FLAG_MASK;
    }

    public static boolean valid(long word) {
        return (word & VALID) != 0;
    }
}
