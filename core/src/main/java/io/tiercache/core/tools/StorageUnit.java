package io.tiercache.core.tools;

import java.util.Locale;

/**
 * The size units of thin-provisioning-tools 1.1 ({@code --unit}, {@code SIZE[bskmg...]}): a
 * lower-case letter is binary (k = KiB), an upper-case one decimal (K = kB), as those tools
 * spell them, and so are the names printed after a size.
 */
public enum StorageUnit {
    BYTE(1, "b", "byte"),
    SECTOR(512, "s", "sector"),
    KIBIBYTE(1L << 10, "k", "kibibyte", "KiB"),
    MEBIBYTE(1L << 20, "m", "mebibyte", "MiB"),
    GIBIBYTE(1L << 30, "g", "gibibyte", "GiB"),
    // tools 1.1 print "terabyte" for the binary unit too; kept, so that output compares equal.
    TEBIBYTE(1L << 40, "t", "terabyte", "TiB", "tebibyte"),
    PEBIBYTE(1L << 50, "p", "pebibyte", "PiB"),
    EXBIBYTE(1L << 60, "e", "exbibyte", "EiB"),
    KILOBYTE(1_000L, "K", "kilobyte", "kB"),
    MEGABYTE(1_000_000L, "M", "megabyte", "MB"),
    GIGABYTE(1_000_000_000L, "G", "gigabyte", "GB"),
    TERABYTE(1_000_000_000_000L, "T", "terabyte", "TB"),
    PETABYTE(1_000_000_000_000_000L, "P", "petabyte", "PB"),
    EXABYTE(1_000_000_000_000_000_000L, "E", "exabyte", "EB");

    private final long bytes;
    private final String letter;
    private final String name;
    private final String[] aliases;

    StorageUnit(long bytes, String letter, String name, String... aliases) {
        this.bytes = bytes;
        this.letter = letter;
        this.name = name;
        this.aliases = aliases;
    }

    public long bytes() {
        return bytes;
    }

    /** The one-letter form ({@code -n=short}). */
    public String letter() {
        return letter;
    }

    /** The singular name printed after a size (the caller adds the plural s). */
    public String unitName() {
        return name;
    }

    /** A unit by letter, name or symbol, as {@code --unit} takes it. */
    public static StorageUnit parse(String s) {
        for (StorageUnit u : values()) {
            if (u.letter.equals(s) || u.name.equals(s) && u != TEBIBYTE || java.util.Arrays.asList(u.aliases).contains(s)) {
                return u;
            }
        }
        throw new IllegalArgumentException("invalid unit specifier '" + s + "' (one of b s k m g t p e K M G T P E)");
    }

    /** A size: digits and an optional unit, sectors by default ({@code 128}, {@code 64k}, {@code 1g}). */
    public static long parseSize(String s) {
        int i = 0;
        while (i < s.length() && Character.isDigit(s.charAt(i))) {
            i++;
        }
        if (i == 0) {
            throw new IllegalArgumentException("'" + s + "' is not a size (digits, then an optional unit)");
        }
        StorageUnit unit = i == s.length() ? SECTOR : parse(s.substring(i));
        long n;
        try {
            n = Long.parseLong(s.substring(0, i));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + s + "' is too large");
        }
        if (n > Long.MAX_VALUE / unit.bytes) {
            throw new IllegalArgumentException("'" + s + "' is too large");
        }
        return n * unit.bytes;
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
