package io.tiercache.policy.adaptive;

import static io.tiercache.policy.adaptive.TraceGenerator.Generated;
import static io.tiercache.policy.adaptive.TraceGenerator.Spec;

import io.tiercache.core.sim.Trace;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A second validation suite: the three shapes of the shared traces (Zipf with hot extents, a
 * shifting hot set, Zipf mixed with sequential sweeps) rebuilt from their README descriptions and
 * the structure visible in the files, with other parameters, sizes and seeds, most of them with
 * writes — what the shared README says the acceptance run adds. Not tuned to, like
 * {@link TraceGenerator#SUITE}; where the two suites disagree, this one is the closer proxy for
 * traces made by the same generator as the shared ones.
 */
final class FamilyTraces {
    static final List<Spec> SUITE = List.of(
            () -> TraceGenerator.zipf("f1_zipf0.8_ext16_w10", 201, 80_000, 500_000, 0.8, 16, 0.1),
            () -> TraceGenerator.zipf("f2_zipf1.2_ext16_w30", 202, 100_000, 600_000, 1.2, 16, 0.3),
            () -> TraceGenerator.zipf("f3_zipf1.0_ext16_1m", 203, 200_000, 1_200_000, 1.0, 16, 0.0),
            () -> shift("f4_shift_slide_w10", 204, 100_000, 600_000, 6_000, 50_000, false, 0.5, 0.1),
            () -> shift("f5_shift_jump_w20", 205, 80_000, 500_000, 3_000, 60_000, true, 0, 0.2),
            () -> shift("f6_shift_slide_quarter", 206, 120_000, 800_000, 8_000, 30_000, false, 0.25, 0.0),
            () -> scanMix("f7_scanmix0.9_w10", 207, 30_000, 100_000, 500_000, 0.9, 0.3, 2_048, 16_384, 0.1),
            () -> scanMix("f8_scanmix1.0_half", 208, 15_000, 60_000, 400_000, 1.0, 0.5, 1_024, 8_192, 0.0),
            () -> scanMix("f9_scanmix0.8_w20", 209, 40_000, 150_000, 800_000, 0.8, 0.2, 4_096, 32_768, 0.2));

    /**
     * The shared traces' own three shapes at their own parameters (from their manifest), with other
     * seeds and {@code lengthFactor} times the accesses: how much of a score is the luck of a seed,
     * and how it moves with the length of a trace.
     */
    static List<Spec> reseeded(int seed, int lengthFactor) {
        String suffix = "_s" + seed + "_x" + lengthFactor;
        return List.of(
                () -> TraceGenerator.zipf("zipf1.0" + suffix, seed, 50_000, 300_000 * lengthFactor, 1.0, 16, 0),
                () -> shift("shift" + suffix, seed + 1, 60_000, 400_000 * lengthFactor, 4_000, 40_000, false, 0.5, 0),
                () -> scanMix("scanmix0.9" + suffix, seed + 2, 20_000, 60_000, 400_000 * lengthFactor, 0.9, 0.3,
                        2_048, 16_384, 0));
    }

    /** Share of the hot set's accesses, and the Zipf exponent inside it, as in {@code shift_small}. */
    private static final double HOT_SHARE = 0.9;
    private static final double HOT_ALPHA = 0.6;
    /** While a sweep runs, the share of accesses that belong to it (the rest is Zipf traffic). */
    private static final double SWEEP_SHARE = 0.8;

    private FamilyTraces() {}

    /**
     * A shifting hot set: {@code hot} blocks taken from a window of an extent-clustered ordering of
     * all {@code n} blocks get {@value #HOT_SHARE} of the accesses (Zipf {@value #HOT_ALPHA} inside);
     * at each period the window slides by {@code slide} of its size, or jumps to a random place, and
     * the ranking is rotated along it by a random amount — so popularity stays clustered in extents
     * within a phase (in {@code shift_small} the 25 busiest extents of a phase take 34 % of its
     * accesses, as here; a ranking redrawn block by block would give 18 %), while a block's rank in
     * one phase says little about the next. The rest of the accesses is uniform.
     */
    static Generated shift(String name, long seed, int n, int accesses, int hot, int period, boolean jump,
            double slide, double writes) {
        SplittableRandom rnd = new SplittableRandom(seed);
        int[] order = TraceGenerator.rankMap(n, 16, rnd);
        TraceGenerator.Zipf z = new TraceGenerator.Zipf(hot, HOT_ALPHA);
        int base = rnd.nextInt(n);
        int rotation = rnd.nextInt(hot);
        long[] out = new long[accesses];
        for (int i = 0; i < accesses; i++) {
            if (i > 0 && i % period == 0) {
                base = jump ? rnd.nextInt(n) : (base + (int) (slide * hot)) % n;
                rotation = rnd.nextInt(hot);
            }
            long block = rnd.nextDouble() < HOT_SHARE
                    ? order[(base + (z.sample(rnd) + rotation) % hot) % n]
                    : rnd.nextInt(n);
            out[i] = rnd.nextDouble() < writes ? Trace.write(block) : Trace.read(block);
        }
        String move = jump ? "jumps to a random place" : String.format("slides by %.0f %% of its size", slide * 100);
        return new Generated(name, String.format("shift: %.0f %% to a %,d-block hot set (Zipf %.1f inside, hot extents,"
                + " ranking rotated every %,d accesses) that %s; rest uniform over %,d; %,d accesses, %.0f %% writes, seed %d",
                HOT_SHARE * 100, hot, HOT_ALPHA, period, move, n, accesses, writes * 100, seed), n, Trace.of(name, out));
    }

    /**
     * Zipf over {@code hot} blocks (hot extents) mixed with sequential sweeps over {@code cold} other
     * blocks that make {@code scanShare} of the accesses; a sweep is interleaved with the Zipf traffic
     * ({@value #SWEEP_SHARE} of the accesses while it runs); {@code writes} of the Zipf accesses write.
     */
    static Generated scanMix(String name, long seed, int hot, int cold, int accesses, double alpha, double scanShare,
            int minScan, int maxScan, double writes) {
        SplittableRandom rnd = new SplittableRandom(seed);
        TraceGenerator.Zipf z = new TraceGenerator.Zipf(hot, alpha);
        int[] perm = TraceGenerator.rankMap(hot, 16, rnd);
        double meanScan = (minScan + maxScan) / 2.0;
        // a cycle is 1/start Zipf accesses, then a sweep of L blocks spread over L / SWEEP_SHARE
        // accesses; sweeps make scanShare of it when 1/start = L (1/scanShare - 1/SWEEP_SHARE)
        double start = 1 / (meanScan * (1 / scanShare - 1 / SWEEP_SHARE));
        long[] out = new long[accesses];
        int left = 0;
        long pos = 0;
        for (int i = 0; i < accesses; i++) {
            if (left == 0 && rnd.nextDouble() < start) {
                left = minScan + rnd.nextInt(maxScan - minScan + 1);
                pos = rnd.nextInt(cold);
            }
            if (left > 0 && rnd.nextDouble() < SWEEP_SHARE) {
                out[i] = Trace.read(hot + pos);
                pos = (pos + 1) % cold;
                left--;
            } else {
                long block = perm[z.sample(rnd)];
                out[i] = rnd.nextDouble() < writes ? Trace.write(block) : Trace.read(block);
            }
        }
        return new Generated(name, String.format("scanmix: Zipf(%.1f) over %,d hot blocks (hot extents), %.0f %% of"
                + " accesses in sweeps of %,d-%,d blocks over %,d cold blocks, interleaved; %.0f %% of the Zipf"
                + " accesses write; %,d accesses, seed %d", alpha, hot, scanShare * 100, minScan, maxScan, cold,
                writes * 100, accesses, seed), hot + cold, Trace.of(name, out));
    }
}
