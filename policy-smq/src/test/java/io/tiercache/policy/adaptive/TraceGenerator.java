package io.tiercache.policy.adaptive;

import io.tiercache.core.sim.Trace;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import java.util.zip.GZIPOutputStream;

/**
 * Synthetic block traces for validating a policy on shapes other than the three shared traces:
 * every trace is a pure function of its parameters and seed. {@link #SUITE} is the validation suite
 * of the adaptive policy; {@code main} writes them as {@code .trace.gz} files for {@code tiercache
 * sim}.
 */
final class TraceGenerator {
    /** One generated trace: its name, the parameters in words and the trace itself. */
    record Generated(String name, String description, long originBlocks, Trace trace) {}

    /** A named generator with its parameters written out. */
    interface Spec {
        Generated generate();
    }

    /** The validation suite: eight shapes, none of them tuned to, with their seeds. */
    static final List<Spec> SUITE = List.of(
            () -> zipf("g1_zipf0.8_perm", 101, 100_000, 500_000, 0.8, 0, 0.0),
            () -> zipf("g2_zipf1.2_ext16_w20", 102, 40_000, 300_000, 1.2, 16, 0.2),
            () -> hotJump("g3_hotjump_ext8_w10", 103, 120_000, 500_000, 6_000, 0.85, 0.8, 50_000, 8, 0.1),
            () -> loopMix("g4_loopmix", 104, 15_000, 30_000, 400_000, 0.4, 0.9),
            () -> scanBurst("g5_scanburst_ext16_w30", 105, 30_000, 150_000, 500_000, 1.0, 0.4, 1_024, 32_768, 16,
                    0.3),
            () -> phaseChange("g6_phase2_ext16", 106, 60_000, 400_000, 0.9, 16),
            () -> drift("g7_drift_w10", 107, 10_000, 400_000, 0.7, 20, 0.1),
            () -> recency("g8_recency_w5", 108, 200_000, 400_000, 5_000, 0.75, 0.05),
            () -> zipf("g9_zipf0.6_ext8_w5", 109, 200_000, 600_000, 0.6, 8, 0.05),
            () -> slide("g10_slide_ext16_w25", 110, 150_000, 480_000, 10_000, 0.92, 0.9, 30_000, 2_500, 16, 0.25));

    private TraceGenerator() {}

    // ---- samplers -------------------------------------------------------------------------------

    /** Zipf(alpha) ranks 0..n-1 by inverse CDF. */
    static final class Zipf {
        private final double[] cdf;

        Zipf(int n, double alpha) {
            cdf = new double[n];
            double sum = 0;
            for (int i = 0; i < n; i++) {
                sum += 1 / Math.pow(i + 1, alpha);
                cdf[i] = sum;
            }
            for (int i = 0; i < n; i++) {
                cdf[i] /= sum;
            }
        }

        int sample(SplittableRandom rnd) {
            double u = rnd.nextDouble();
            int lo = 0;
            int hi = cdf.length - 1;
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if (cdf[mid] < u) {
                    lo = mid + 1;
                } else {
                    hi = mid;
                }
            }
            return lo;
        }
    }

    /** A random permutation of 0..n-1 (rank → block), so popular blocks are scattered. */
    static int[] permutation(int n, SplittableRandom rnd) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }

    /**
     * Rank → block: a random permutation ({@code extent} 0: no spatial locality), or ranks grouped
     * by {@code extent} consecutive blocks, the extents in random order (hot data in hot extents).
     */
    static int[] rankMap(int n, int extent, SplittableRandom rnd) {
        if (extent <= 1) {
            return permutation(n, rnd);
        }
        int extents = (n + extent - 1) / extent;
        int[] order = permutation(extents, rnd);
        int[] map = new int[n];
        int r = 0;
        for (int e = 0; e < extents && r < n; e++) {
            for (int i = 0; i < extent && r < n; i++) {
                int block = order[e] * extent + i;
                if (block < n) {
                    map[r++] = block;
                }
            }
        }
        for (int e = 0; r < n; e++) { // the tail of a partial last extent
            map[r++] = e;
        }
        return map;
    }

    private static String layout(int extent) {
        return extent <= 1 ? "random permutation" : "ranks clustered in " + extent + "-block extents";
    }

    private static long record(long block, boolean write) {
        return write ? Trace.write(block) : Trace.read(block);
    }

    private static Generated done(String name, String description, long origin, long[] records) {
        return new Generated(name, description, origin, Trace.of(name, records));
    }

    // ---- shapes ---------------------------------------------------------------------------------

    /** Zipf(alpha) over n blocks. */
    static Generated zipf(String name, long seed, int n, int accesses, double alpha, int extent, double writes) {
        SplittableRandom rnd = new SplittableRandom(seed);
        Zipf z = new Zipf(n, alpha);
        int[] perm = rankMap(n, extent, rnd);
        long[] out = new long[accesses];
        for (int i = 0; i < accesses; i++) {
            out[i] = record(perm[z.sample(rnd)], rnd.nextDouble() < writes);
        }
        return done(name, String.format("Zipf(%.1f) over %,d blocks, %s, %,d accesses, %.0f %% writes, seed %d",
                alpha, n, layout(extent), accesses, writes * 100, seed), n, out);
    }

    /**
     * A hot set of {@code hot} blocks (Zipf inside, random ranks) takes {@code hotShare} of the
     * accesses and jumps to a fresh random place every {@code period} accesses; the rest is uniform.
     */
    static Generated hotJump(String name, long seed, int n, int accesses, int hot, double hotShare, double alpha,
            int period, int extent, double writes) {
        SplittableRandom rnd = new SplittableRandom(seed);
        Zipf z = new Zipf(hot, alpha);
        int[] perm = rankMap(hot, extent, rnd);
        int base = rnd.nextInt(n - hot);
        long[] out = new long[accesses];
        for (int i = 0; i < accesses; i++) {
            if (i > 0 && i % period == 0) {
                base = rnd.nextInt(n - hot);
                perm = rankMap(hot, extent, rnd);
            }
            long block = rnd.nextDouble() < hotShare ? base + perm[z.sample(rnd)] : rnd.nextInt(n);
            out[i] = record(block, rnd.nextDouble() < writes);
        }
        return done(name, String.format("%.0f %% to a %,d-block hot set (Zipf %.1f inside, %s) that jumps to a random"
                + " place every %,d accesses, rest uniform over %,d; %,d accesses, %.0f %% writes, seed %d",
                hotShare * 100, hot, alpha, layout(extent), period, n, accesses, writes * 100, seed), n, out);
    }

    /** A sequential loop over {@code loop} blocks takes {@code loopShare}; the rest is Zipf over other blocks. */
    static Generated loopMix(String name, long seed, int loop, int zipfBlocks, int accesses, double loopShare,
            double alpha) {
        SplittableRandom rnd = new SplittableRandom(seed);
        Zipf z = new Zipf(zipfBlocks, alpha);
        int[] perm = permutation(zipfBlocks, rnd);
        long[] out = new long[accesses];
        int pos = 0;
        for (int i = 0; i < accesses; i++) {
            if (rnd.nextDouble() < loopShare) {
                out[i] = record(pos, false);
                pos = (pos + 1) % loop;
            } else {
                out[i] = record(loop + perm[z.sample(rnd)], false);
            }
        }
        return done(name, String.format("%.0f %% a sequential loop over %,d blocks, rest Zipf(%.1f) over %,d other"
                + " blocks; %,d accesses, reads, seed %d", loopShare * 100, loop, alpha, zipfBlocks, accesses, seed),
                loop + zipfBlocks, out);
    }

    /**
     * Zipf traffic over {@code hot} blocks interleaved with sequential sweeps (uniform length in
     * {@code [minScan, maxScan]}, random start) over {@code cold} other blocks, the sweeps making
     * {@code scanShare} of the accesses; {@code writes} of the Zipf accesses are writes.
     */
    static Generated scanBurst(String name, long seed, int hot, int cold, int accesses, double alpha,
            double scanShare, int minScan, int maxScan, int extent, double writes) {
        SplittableRandom rnd = new SplittableRandom(seed);
        Zipf z = new Zipf(hot, alpha);
        int[] perm = rankMap(hot, extent, rnd);
        long[] out = new long[accesses];
        int scanLeft = 0;
        long scanPos = 0;
        double meanScan = (minScan + maxScan) / 2.0;
        // a sweep starts with this probability per Zipf access, so sweeps make up scanShare overall
        double startProbability = scanShare / (1 - scanShare) / meanScan;
        for (int i = 0; i < accesses; i++) {
            if (scanLeft == 0 && rnd.nextDouble() < startProbability) {
                scanLeft = minScan + rnd.nextInt(maxScan - minScan + 1);
                scanPos = rnd.nextInt(cold);
            }
            if (scanLeft > 0) {
                out[i] = record(hot + scanPos, false);
                scanPos = (scanPos + 1) % cold;
                scanLeft--;
            } else {
                out[i] = record(perm[z.sample(rnd)], rnd.nextDouble() < writes);
            }
        }
        return done(name, String.format("Zipf(%.1f) over %,d blocks (%s) with sequential sweeps of %,d-%,d blocks over"
                + " %,d cold blocks (%.0f %% of accesses); %.0f %% of the Zipf accesses are writes; %,d accesses,"
                + " seed %d",
                alpha, hot, layout(extent), minScan, maxScan, cold, scanShare * 100, writes * 100, accesses, seed),
                hot + cold, out);
    }

    /** Zipf(alpha) over n blocks; halfway the popularity is redrawn (a new random permutation). */
    static Generated phaseChange(String name, long seed, int n, int accesses, double alpha, int extent) {
        SplittableRandom rnd = new SplittableRandom(seed);
        Zipf z = new Zipf(n, alpha);
        int[] perm = rankMap(n, extent, rnd);
        long[] out = new long[accesses];
        for (int i = 0; i < accesses; i++) {
            if (i == accesses / 2) {
                perm = rankMap(n, extent, rnd);
            }
            out[i] = record(perm[z.sample(rnd)], false);
        }
        return done(name, String.format("Zipf(%.1f) over %,d blocks (%s); at half time the popularity is redrawn;"
                + " %,d accesses, reads, seed %d", alpha, n, layout(extent), accesses, seed), n, out);
    }

    /**
     * A sliding hot set: {@code hotShare} of the accesses go to {@code hot} consecutive blocks (Zipf
     * inside, ranks redrawn at every slide) that move forward by {@code step} blocks every
     * {@code period} accesses (wrapping); the rest is uniform over all {@code n} blocks.
     */
    static Generated slide(String name, long seed, int n, int accesses, int hot, double hotShare, double alpha,
            int period, int step, int extent, double writes) {
        SplittableRandom rnd = new SplittableRandom(seed);
        Zipf z = new Zipf(hot, alpha);
        int[] perm = rankMap(hot, extent, rnd);
        long base = 0;
        long[] out = new long[accesses];
        for (int i = 0; i < accesses; i++) {
            if (i > 0 && i % period == 0) {
                base = (base + step) % n;
                perm = rankMap(hot, extent, rnd);
            }
            long block = rnd.nextDouble() < hotShare ? (base + perm[z.sample(rnd)]) % n : rnd.nextInt(n);
            out[i] = record(block, rnd.nextDouble() < writes);
        }
        return done(name, String.format("%.0f %% to a %,d-block hot set (Zipf %.1f inside, %s, redrawn at each slide)"
                + " sliding by %,d blocks every %,d accesses, rest uniform over %,d; %,d accesses, %.0f %% writes,"
                + " seed %d", hotShare * 100, hot, alpha, layout(extent), step, period, n, accesses, writes * 100,
                seed), n, out);
    }

    /**
     * A drifting hot set: Zipf(alpha) over the {@code window} blocks {@code [start, start + window)};
     * the start advances by one block every {@code every} accesses, so one block leaves the set and a
     * new one enters, taking over its popularity rank, while the others keep theirs (block b's rank
     * depends on {@code b mod window} only).
     */
    static Generated drift(String name, long seed, int window, int accesses, double alpha, int every, double writes) {
        SplittableRandom rnd = new SplittableRandom(seed);
        Zipf z = new Zipf(window, alpha);
        int[] perm = permutation(window, rnd);
        long[] out = new long[accesses];
        long origin = window + accesses / every + 1;
        for (int i = 0; i < accesses; i++) {
            long start = i / every;
            int residue = perm[z.sample(rnd)];
            // the block of the window [start, start + window) with that residue mod window
            long block = start + Math.floorMod(residue - start, (long) window);
            out[i] = record(block, rnd.nextDouble() < writes);
        }
        return done(name, String.format("Zipf(%.1f) over a %,d-block window (random ranks, kept by each block) that"
                + " advances one block every %d accesses; %,d accesses, %.0f %% writes, seed %d", alpha, window, every,
                accesses, writes * 100, seed), origin, out);
    }

    /**
     * Recency-friendly traffic: with probability {@code reuse} an access goes to one of the last
     * {@code recent} newly introduced blocks, strongly biased to the newest (index = recent × u³);
     * otherwise a uniformly random block of {@code n} is introduced.
     */
    static Generated recency(String name, long seed, int n, int accesses, int recent, double reuse, double writes) {
        SplittableRandom rnd = new SplittableRandom(seed);
        long[] ring = new long[recent];
        int introduced = 0;
        long[] out = new long[accesses];
        for (int i = 0; i < accesses; i++) {
            long block;
            if (introduced > 0 && rnd.nextDouble() < reuse) {
                double u = rnd.nextDouble();
                int back = (int) (Math.min(introduced, recent) * u * u * u);
                block = ring[Math.floorMod(introduced - 1 - back, recent)];
            } else {
                block = rnd.nextInt(n);
                ring[introduced % recent] = block;
                introduced++;
            }
            out[i] = record(block, rnd.nextDouble() < writes);
        }
        return done(name, String.format("recency: %.0f %% of accesses reuse one of the last %,d new blocks (biased to"
                + " the newest, u³), else a new uniform block of %,d; %,d accesses, %.0f %% writes, seed %d",
                reuse * 100, recent, n, accesses, writes * 100, seed), n, out);
    }

    // ---- files ----------------------------------------------------------------------------------

    static void write(Generated g, Path file) throws IOException {
        try (BufferedWriter w = new BufferedWriter(new OutputStreamWriter(
                new GZIPOutputStream(Files.newOutputStream(file), 1 << 16), StandardCharsets.US_ASCII), 1 << 16)) {
            Trace t = g.trace();
            for (int i = 0; i < t.size(); i++) {
                w.write(t.isWrite(i) ? 'W' : 'R');
                w.write(' ');
                w.write(Long.toString(t.block(i)));
                w.write('\n');
            }
        }
    }

    /** Writes both validation suites (this one and {@link FamilyTraces}) to the folder given (default {@code target/adaptive-traces}). */
    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args.length > 0 ? args[0] : "target/adaptive-traces");
        Files.createDirectories(dir);
        for (List<Spec> suite : List.of(SUITE, FamilyTraces.SUITE)) {
            for (Spec s : suite) {
                Generated g = s.generate();
                write(g, dir.resolve(g.name() + ".trace.gz"));
                System.out.printf("%s: %s (origin %d, distinct %d)%n", g.name(), g.description(), g.originBlocks(),
                        g.trace().distinctBlocks());
            }
        }
    }
}
