package io.tiercache.core.dm.targets;

import io.tiercache.core.dm.TargetException;

/** Argument parsing as the kernel's targets do it ({@code sscanf("%llu%c")}: digits only). */
public final class Args {
    private Args() {}

    /** An unsigned decimal sector number; anything else is refused with {@code error}. */
    public static long sector(String s, String error) throws TargetException {
        return unsigned(s, Long.MAX_VALUE / 512, error);
    }

    /** An unsigned decimal not above {@code max}. */
    public static long unsigned(String s, long max, String error) throws TargetException {
        if (s.isEmpty() || s.length() > 19 || !s.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new TargetException(error);
        }
        long v = Long.parseLong(s);
        if (v > max) {
            throw new TargetException(error);
        }
        return v;
    }
}
