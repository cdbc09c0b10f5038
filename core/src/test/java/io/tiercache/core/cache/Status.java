package io.tiercache.core.cache;

import java.util.Arrays;
import java.util.List;

/**
 * A parsed cache status line (target-semantics §2.1), numbered as there: 1 metadata block size,
 * 2 used/total metadata blocks, 3 block size, 4 used/total cache blocks, 5–8 read hits, read misses,
 * write hits, write misses, 9 demotions, 10 promotions, 11 dirty, 12 features, 13 core args,
 * 14–15 policy, 16 mode, 17 needs_check.
 */
record Status(String line, long mdUsed, long mdTotal, long blockSize, long used, long total, long readHits,
        long readMisses, long writeHits, long writeMisses, long demotions, long promotions, long dirty,
        List<String> features, long migrationThreshold, String policy, List<String> policyArgs, String mode,
        boolean needsCheck) {

    /** Parses {@code <start> <length> cache <fields...> }; {@code Fail} and {@code Error} have no fields. */
    static Status parse(String line) {
        String[] w = line.split(" ");
        if (w.length == 4) {
            return new Status(line, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, List.of(), 0, "", List.of(), w[3], false);
        }
        int i = 3;
        long mdBlock = Long.parseLong(w[i++]);
        if (mdBlock != 8) {
            throw new IllegalArgumentException("metadata block size " + mdBlock + ": " + line);
        }
        long[] md = pair(w[i++]);
        long bs = Long.parseLong(w[i++]);
        long[] cb = pair(w[i++]);
        long[] c = new long[7];
        for (int k = 0; k < 7; k++) {
            c[k] = Long.parseLong(w[i++]);
        }
        int nf = Integer.parseInt(w[i++]);
        List<String> features = Arrays.asList(w).subList(i, i + nf);
        i += nf;
        if (!w[i].equals("2") || !w[i + 1].equals("migration_threshold")) {
            throw new IllegalArgumentException("core args: " + line);
        }
        long threshold = Long.parseLong(w[i + 2]);
        i += 3;
        String policy = w[i++];
        int np = Integer.parseInt(w[i++]);
        List<String> pargs = Arrays.asList(w).subList(i, i + np);
        i += np;
        String mode = w[i++];
        boolean needsCheck = w[i++].equals("needs_check");
        if (i != w.length || !line.endsWith(" ")) {
            throw new IllegalArgumentException("trailing fields or no trailing space: '" + line + "'");
        }
        return new Status(line, md[0], md[1], bs, cb[0], cb[1], c[0], c[1], c[2], c[3], c[4], c[5], c[6],
                List.copyOf(features), threshold, policy, List.copyOf(pargs), mode, needsCheck);
    }

    private static long[] pair(String s) {
        String[] p = s.split("/");
        return new long[] {Long.parseLong(p[0]), Long.parseLong(p[1])};
    }

    boolean failed() {
        return mode.equals("Fail");
    }
}
