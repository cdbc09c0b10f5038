package io.tiercache.core.tools;

/**
 * What {@code check} looks at, as {@code cache_check}'s flags say.
 *
 * @param superBlockOnly       only the superblock ({@code --super-block-only})
 * @param skipMappings         not the mapping array nor the dirty bitset ({@code --skip-mappings})
 * @param skipHints            not the hint array ({@code --skip-hints})
 * @param skipDiscards         not the discard bitset ({@code --skip-discards})
 * @param ignoreNonFatal       pass despite leaks and other non-fatal problems ({@code --ignore-non-fatal-errors})
 */
public record CheckOptions(boolean superBlockOnly, boolean skipMappings, boolean skipHints, boolean skipDiscards,
        boolean ignoreNonFatal) {
    public static final CheckOptions FULL = new CheckOptions(false, false, false, false, false);

    /** True if some structure is not walked: its blocks cannot be told from leaked ones. */
    boolean skipsAny() {
        return skipMappings || skipHints || skipDiscards;
    }
}
