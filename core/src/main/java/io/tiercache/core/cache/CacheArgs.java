package io.tiercache.core.cache;

import io.tiercache.core.dm.TargetException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The cache target's table arguments after {@code <start> <length> cache}, parsed as the kernel's
 * {@code parse_cache_args} does, with its error texts (target-semantics §1):
 *
 * <pre>{@code <metadata dev> <cache dev> <origin dev> <block size>
 *     <#feature args> [<feature arg>]* <policy> <#policy args> [<policy arg>]*}</pre>
 *
 * Anything after the policy arguments is ignored, as the kernel ignores it (and {@code table}
 * still echoes it).
 */
public record CacheArgs(String metadataDev, String cacheDev, String originDev, long blockSectors, IoMode ioMode,
        boolean metadata2, boolean discardPassdown, String policyName, List<String> policyArgs) {
    /** Smallest cache block: 32 KiB. Sizes must also be a multiple of it. */
    public static final long MIN_BLOCK_SECTORS = 64;
    /** Largest cache block: 1 GiB. */
    public static final long MAX_BLOCK_SECTORS = 2_097_152;

    public CacheArgs {
        policyArgs = List.copyOf(policyArgs);
    }

    /** Parses {@code args}; the block size is checked against the cache size later, once it is open. */
    public static CacheArgs parse(List<String> args) throws TargetException {
        Cursor c = new Cursor(args);
        String meta = c.next();
        String cache = c.next();
        String origin = c.next();
        long block = blockSize(c.next());
        int nrFeatures = group(c, 3, "Invalid number of cache feature arguments");
        IoMode mode = null;
        boolean metadata2 = false;
        boolean passdown = true;
        for (int i = 0; i < nrFeatures; i++) {
            String f = c.next().toLowerCase(Locale.ROOT);
            switch (f) {
                case "writeback", "writethrough", "passthrough" -> {
                    if (mode != null) {
                        throw new TargetException("Duplicate cache io_mode features requested");
                    }
                    mode = IoMode.valueOf(f.toUpperCase(Locale.ROOT));
                }
                case "metadata2" -> metadata2 = true;
                case "no_discard_passdown" -> passdown = false;
                default -> throw new TargetException("Unrecognised cache feature requested");
            }
        }
        String policy = c.next();
        int nrPolicyArgs = group(c, 1024, "Invalid number of policy arguments");
        List<String> policyArgs = new ArrayList<>();
        for (int i = 0; i < nrPolicyArgs; i++) {
            policyArgs.add(c.next());
        }
        return new CacheArgs(meta, cache, origin, block, mode == null ? IoMode.WRITEBACK : mode, metadata2, passdown,
                policy, policyArgs);
    }

    private static long blockSize(String s) throws TargetException {
        long v = unsigned(s);
        if (v <= 0 || v < MIN_BLOCK_SECTORS || v > MAX_BLOCK_SECTORS || v % MIN_BLOCK_SECTORS != 0) {
            throw new TargetException("Invalid data block size");
        }
        return v;
    }

    /** dm_read_arg_group: a count in [0, max] that does not exceed what is left. */
    private static int group(Cursor c, int max, String error) throws TargetException {
        long n = unsigned(c.next());
        if (n < 0 || n > max || n > c.remaining()) {
            throw new TargetException(error);
        }
        return (int) n;
    }

    /** kstrtoul base 10: digits with an optional leading {@code +}; -1 if malformed. */
    static long unsigned(String s) {
        String d = s.startsWith("+") ? s.substring(1) : s;
        if (d.isEmpty() || d.length() > 18 || !d.chars().allMatch(ch -> ch >= '0' && ch <= '9')) {
            return -1;
        }
        return Long.parseLong(d);
    }

    /** Walks the argument vector; running out is "Insufficient args". */
    private static final class Cursor {
        private final List<String> args;
        private int next;

        Cursor(List<String> args) {
            this.args = args;
        }

        String next() throws TargetException {
            if (next >= args.size()) {
                throw new TargetException("Insufficient args");
            }
            return args.get(next++);
        }

        int remaining() {
            return args.size() - next;
        }
    }
}
