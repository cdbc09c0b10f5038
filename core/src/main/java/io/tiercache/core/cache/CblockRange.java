package io.tiercache.core.cache;

import io.tiercache.core.dm.DmException;
import io.tiercache.spi.block.Errno;

/**
 * One argument of {@code invalidate_cblocks}: {@code N} (one block) or {@code B-E} (B up to E-1,
 * "one past the end"), decimal digits only, as the kernel's {@code parse_cblock_range}
 * (target-semantics §3).
 *
 * @param begin first cache block
 * @param end one past the last
 */
record CblockRange(long begin, long end) {
    /** Parses {@code text}; malformed → EINVAL, logged {@code invalid cblock range '<text>'}. */
    static CblockRange parse(String text, CacheLog log) throws DmException {
        int dash = text.indexOf('-');
        if (dash < 0) {
            long b = number(text, text, log);
            return new CblockRange(b, b + 1);
        }
        long b = number(text.substring(0, dash), text, log);
        long e = number(text.substring(dash + 1), text, log);
        return new CblockRange(b, e);
    }

    private static long number(String digits, String whole, CacheLog log) throws DmException {
        if (digits.isEmpty() || digits.length() > 18 || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
            String why = "invalid cblock range '" + whole + "'";
            log.error(why);
            throw new DmException(Errno.EINVAL, why);
        }
        return Long.parseLong(digits);
    }

    /** The kernel's validate_cblock_range against a cache of {@code cacheSize} blocks. */
    void validate(long cacheSize, CacheLog log) throws DmException {
        String why = null;
        if (begin >= cacheSize) {
            why = "begin cblock out of range: " + begin + " >= " + cacheSize;
        } else if (end > cacheSize) {
            why = "end cblock out of range: " + end + " > " + cacheSize;
        } else if (begin >= end) {
            why = "invalid cblock range: " + begin + " >= " + end;
        }
        if (why != null) {
            log.error(why);
            throw new DmException(Errno.EINVAL, why);
        }
    }
}
