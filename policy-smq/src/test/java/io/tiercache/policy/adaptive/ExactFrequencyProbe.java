package io.tiercache.policy.adaptive;

import io.tiercache.core.sim.SimOptions;
import io.tiercache.core.sim.Simulator;
import io.tiercache.core.sim.Trace;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * A yardstick, not a policy: frequency-based admission with bypass as it would be with exact
 * statistics and no memory limit — every block's and every extent's uses as exponentially decayed
 * sums (half-life {@code k} · C accesses), and the victim always the cached block with the lowest
 * score. A block's score is its own decayed uses plus {@code beta} times its extent's average per
 * block; a miss is copied if its score is at least {@code theta} and beats the victim's by the
 * factor {@code 1 + m} plus {@code a} uses. If this does no better than {@code adaptive}, the sketch,
 * its 4-bit counters and the segmented LRU are not what limits adaptive's scores.
 *
 * <p>Decay is kept exact without touching every count on every access: a use at time t adds
 * 2^(t / half-life), so all stored values grow at the same rate and their order never changes
 * between uses; the values are rescaled now and then before they overflow.
 */
final class ExactFrequencyProbe {
    record Params(double k, double beta, double m, double a, double theta) {
        static Params fromSystemProperties() {
            return new Params(property("k", 2), property("beta", 3), property("m", 0.5), property("a", 1),
                    property("theta", 2));
        }

        private static double property(String name, double otherwise) {
            String v = System.getProperty(name);
            return v == null ? otherwise : Double.parseDouble(v);
        }
    }

    private record Entry(long block, double score) {}

    private final Params p;
    private final int cacheBlocks;
    private final double halfLife;
    private final Map<Long, Double> uses = new HashMap<>();
    private final Map<Long, Double> extentReuses = new HashMap<>();
    private final Map<Long, Double> cached = new HashMap<>();
    private final TreeSet<Entry> byScore = new TreeSet<>((x, y) -> x.score() != y.score()
            ? Double.compare(x.score(), y.score()) : Long.compare(x.block(), y.block()));
    private long base;
    long hits;
    long promotions;

    private ExactFrequencyProbe(Params p, int cacheBlocks) {
        this.p = p;
        this.cacheBlocks = cacheBlocks;
        this.halfLife = Math.max(64, p.k() * cacheBlocks);
    }

    static ExactFrequencyProbe replay(Trace trace, int cacheBlocks, Params p) {
        ExactFrequencyProbe probe = new ExactFrequencyProbe(p, cacheBlocks);
        for (int i = 0; i < trace.size(); i++) {
            probe.access(i, trace.block(i));
        }
        return probe;
    }

    private void access(long now, long block) {
        if (now - base > 40 * halfLife) {
            rescale(now);
        }
        double w = Math.pow(2, (now - base) / halfLife);
        long extent = block >>> Popularity.EXTENT_SHIFT;
        // like adaptive's extent evidence, only reuses count for the extent (a scan leaves it cold)
        boolean reuse = uses.getOrDefault(block, 0.0) > 0.25 * w;
        uses.merge(block, w, Double::sum);
        if (reuse) {
            extentReuses.merge(extent, w, Double::sum);
            for (long b = extent << Popularity.EXTENT_SHIFT; b < (extent + 1) << Popularity.EXTENT_SHIFT; b++) {
                rescore(b);
            }
        }
        if (cached.containsKey(block)) {
            hits++;
            rescore(block);
            return;
        }
        double s = score(block);
        if (s < p.theta() * w) {
            return;
        }
        if (cached.size() >= cacheBlocks) {
            Entry victim = byScore.first();
            if (s <= victim.score() * (1 + p.m()) + p.a() * w) {
                return;
            }
            byScore.pollFirst();
            cached.remove(victim.block());
        }
        cached.put(block, s);
        byScore.add(new Entry(block, s));
        promotions++;
    }

    private double score(long block) {
        return uses.getOrDefault(block, 0.0)
                + p.beta() * extentReuses.getOrDefault(block >>> Popularity.EXTENT_SHIFT, 0.0) / 16;
    }

    private void rescore(long block) {
        Double old = cached.get(block);
        if (old != null) {
            byScore.remove(new Entry(block, old));
            double s = score(block);
            cached.put(block, s);
            byScore.add(new Entry(block, s));
        }
    }

    private void rescale(long now) {
        double f = Math.pow(2, -(now - base) / halfLife);
        uses.replaceAll((k, v) -> v * f);
        extentReuses.replaceAll((k, v) -> v * f);
        uses.values().removeIf(v -> v < 1e-6);
        extentReuses.values().removeIf(v -> v < 1e-6);
        cached.replaceAll((k, v) -> v * f);
        byScore.clear();
        cached.forEach((b, s) -> byScore.add(new Entry(b, s)));
        base = now;
    }

    /** {@code main [shared|family|generated]…}, parameters as system properties: mean H / P per suite. */
    public static void main(String[] args) throws Exception {
        Params p = Params.fromSystemProperties();
        for (String suite : args.length > 0 ? List.of(args) : List.of("shared", "family")) {
            List<TraceGenerator.Generated> traces = new ArrayList<>();
            switch (suite) {
                case "shared" -> {
                    for (String n : List.of("zipf_a1.0_small", "shift_small", "scanmix_small")) {
                        traces.add(PolicyComparison.shared(PolicyComparison.sharedFolder(), n));
                    }
                }
                case "family" -> FamilyTraces.SUITE.forEach(s -> traces.add(s.generate()));
                case "generated" -> TraceGenerator.SUITE.forEach(s -> traces.add(s.generate()));
                default -> throw new IllegalArgumentException(suite);
            }
            double h = 0;
            double pr = 0;
            int n = 0;
            for (TraceGenerator.Generated g : traces) {
                for (int pct : PolicyComparison.PERCENTS) {
                    int c = PolicyComparison.cacheBlocks(g.trace().distinctBlocks(), pct);
                    ExactFrequencyProbe probe = replay(g.trace(), c, p);
                    double opt = Belady.run(g.trace(), c).hits();
                    long lru = Simulator.run(PolicyComparison.type("lru"), List.of(), g.trace(),
                            SimOptions.of(c, g.originBlocks())).promotions();
                    h += probe.hits / opt;
                    pr += (double) probe.promotions / lru;
                    n++;
                }
            }
            System.out.printf(Locale.ROOT, "%s %s: mean H %.3f, mean P %.3f%n", p, suite, h / n, pr / n);
        }
    }
}
