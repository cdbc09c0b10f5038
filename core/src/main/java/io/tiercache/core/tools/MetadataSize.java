package io.tiercache.core.tools;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * {@code cache_metadata_size}'s estimate (spec §10): 4 MiB for transactions, 16 bytes per cache
 * block for its mapping and {@code hint width + 8} for its hint, capped at the largest metadata
 * device the format can use (4,161,600 blocks, 33,292,800 sectors). Printed as tools 1.1 print it:
 * a whole number as such, a fraction with two decimals, a value below 1 in full.
 */
public final class MetadataSize {
    private static final long TRANSACTION_OVERHEAD = 4L << 20;
    private static final long MAPPING_BYTES = 16;
    private static final long HINT_KEY_BYTES = 8;
    private static final long MAX_BYTES = 255L * 16320 * 4096;
    private static final long MIN_BLOCK = 32L << 10;
    private static final long MAX_BLOCK = 1L << 30;

    private MetadataSize() {}

    /** The estimate in bytes; an estimate beyond the cap (or beyond 2^63) is the cap. */
    public static long bytes(long nrBlocks, long hintWidth) {
        try {
            long perBlock = Math.addExact(MAPPING_BYTES, Math.addExact(hintWidth, HINT_KEY_BYTES));
            return Math.min(MAX_BYTES, Math.addExact(TRANSACTION_OVERHEAD, Math.multiplyExact(nrBlocks, perBlock)));
        } catch (ArithmeticException e) {
            return MAX_BYTES;
        }
    }

    /**
     * Cache blocks of {@code blockBytes} in a cache device of {@code deviceBytes} (the last one
     * partial), with the kernel's rules for the block size.
     *
     * @throws IllegalArgumentException in the tools' words
     */
    public static long nrBlocks(long deviceBytes, long blockBytes) {
        if (blockBytes < MIN_BLOCK || blockBytes % MIN_BLOCK != 0) {
            throw new IllegalArgumentException("block size must be a multiple of 32 KiB");
        }
        if (blockBytes > MAX_BLOCK) {
            throw new IllegalArgumentException("maximum block size is 1 GiB");
        }
        if (deviceBytes < blockBytes) {
            throw new IllegalArgumentException("pool size must be larger than block size");
        }
        return (deviceBytes + blockBytes - 1) / blockBytes;
    }

    /** Output styles of {@code --numeric-only}. */
    public enum Style { FULL, NUMERIC, SHORT_UNITS, LONG_UNITS }

    /** The line printed: {@code 9088 sectors}, {@code 4.44 mebibytes}, {@code 9088s}, ... */
    public static String format(long bytes, StorageUnit unit, Style style) {
        double size = (double) bytes / unit.bytes();
        String number = size < 1 || size == Math.rint(size)
                ? new BigDecimal(Double.toString(size)).stripTrailingZeros().toPlainString()
                // The exact binary value rounded half-even, as the tools' formatter does.
                : new BigDecimal(size).setScale(2, RoundingMode.HALF_EVEN).toPlainString();
        return switch (style) {
            case FULL -> number + " " + unit.unitName() + "s";
            case NUMERIC -> number;
            case SHORT_UNITS -> number + unit.letter();
            case LONG_UNITS -> number + unit.unitName() + "s";
        };
    }
}
