package io.tiercache.policy.adaptive;

import io.tiercache.core.policy.PolicyException;
import io.tiercache.core.policy.PolicyType;
import io.tiercache.core.policy.lru.LruPolicyFactory;
import io.tiercache.core.sim.SimOptions;
import io.tiercache.core.sim.SimResult;
import io.tiercache.core.sim.Simulator;
import io.tiercache.core.sim.Trace;
import io.tiercache.core.sim.TraceManifest;
import io.tiercache.policy.smq.SmqPolicyFactory;
import io.tiercache.spi.policy.CachePolicyFactory;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Replays traces through lru, smq and adaptive at 1, 5 and 20 % cache sizes next to Belady's OPT and
 * scores them as the shared traces' README does: H = hit ratio / OPT's, P = promotions / lru's. Used
 * by {@link AdaptiveTableTest} and, with {@code main}, for the full report.
 */
final class PolicyComparison {
    static final int[] PERCENTS = {1, 5, 20};
    static final List<String> POLICIES = List.of("lru", "smq", "adaptive");

    /** One policy on one trace and cache size. */
    record Row(String trace, long cacheBlocks, String policy, SimResult result, double h, double p) {}

    /** Everything measured on a set of traces, and the mean scores per policy. */
    record Table(List<Row> rows, Map<String, double[]> meanHp) {
        String markdown() {
            StringBuilder md = new StringBuilder("| trace | C | policy | hit ratio | promotions | demotions"
                    + " | writebacks | dirty at end | H | P | replay k acc/s |\n"
                    + "|---|---|---|---|---|---|---|---|---|---|---|\n");
            for (Row r : rows) {
                SimResult s = r.result();
                md.append(String.format(Locale.ROOT, "| %s | %d | %s | %.4f | %d | %s | %s | %s | %.3f | %.3f | %s |%n",
                        r.trace(), r.cacheBlocks(), r.policy(), s.hitRatio(), s.promotions(),
                        s.demotions() < 0 ? "" : Long.toString(s.demotions()),
                        s.writebacks() < 0 ? "" : Long.toString(s.writebacks()),
                        s.dirtyAtEnd() < 0 ? "" : Long.toString(s.dirtyAtEnd()), r.h(), r.p(),
                        s.elapsedNanos() <= 0 ? "" : Long.toString(Math.round(s.accessesPerSecond() / 1000))));
            }
            md.append('\n');
            meanHp.forEach((policy, hp) -> md.append(String.format(Locale.ROOT, "%s: mean H = %.3f, mean P = %.3f%n",
                    policy, hp[0], hp[1])));
            return md.toString();
        }
    }

    private PolicyComparison() {}

    static PolicyType type(String name) {
        CachePolicyFactory f = switch (name) {
            case "lru" -> new LruPolicyFactory();
            case "smq" -> new SmqPolicyFactory();
            case "adaptive" -> new AdaptivePolicyFactory();
            default -> throw new IllegalArgumentException(name);
        };
        return new PolicyType(name, name, f.version(), f.hintSize(), f);
    }

    /** Runs {@code policy}; {@code adaptive@P} is adaptive with {@code useful_percent P}. */
    static SimResult run(String policy, Trace trace, SimOptions options) throws PolicyException {
        int at = policy.indexOf('@');
        if (at < 0) {
            return Simulator.run(type(policy), List.of(), trace, options);
        }
        return Simulator.run(type(policy.substring(0, at)), List.of(AdaptivePolicy.USEFUL_PERCENT,
                policy.substring(at + 1)), trace, options);
    }

    /** The README's cache size: pct % of the distinct blocks, rounded, at least 1. */
    static int cacheBlocks(int distinct, int pct) {
        return Math.max(1, (distinct * pct + 50) / 100);
    }

    static Table compare(List<TraceGenerator.Generated> traces, List<String> policies, SimOptions base)
            throws PolicyException {
        List<Row> rows = new ArrayList<>();
        Map<String, double[]> sums = new LinkedHashMap<>();
        policies.forEach(p -> sums.put(p, new double[2]));
        int configurations = 0;
        for (TraceGenerator.Generated g : traces) {
            Trace trace = g.trace();
            int distinct = trace.distinctBlocks();
            for (int pct : PERCENTS) {
                int c = cacheBlocks(distinct, pct);
                Belady.Result opt = Belady.run(trace, c);
                double optRatio = opt.hitRatio(trace.size());
                SimOptions options = new SimOptions(c, g.originBlocks(), base.ticksEvery(), base.accessesPerSecond(),
                        base.blockSectors());
                SimResult lru = Simulator.run(type("lru"), List.of(), trace, options);
                for (String policy : policies) {
                    SimResult r = policy.equals("lru") ? lru : run(policy, trace, options);
                    double h = r.hitRatio() / optRatio;
                    double p = (double) r.promotions() / lru.promotions();
                    rows.add(new Row(g.name(), c, policy, r, h, p));
                    sums.get(policy)[0] += h;
                    sums.get(policy)[1] += p;
                }
                SimResult optRow = new SimResult("OPT", g.name(), c, g.originBlocks(), trace.size(), 0, 0, opt.hits(),
                        opt.promotions(), -1, -1, -1, 0, 0, -1, 0);
                rows.add(new Row(g.name(), c, "OPT", optRow, 1.0, (double) opt.promotions() / lru.promotions()));
                configurations++;
            }
        }
        Map<String, double[]> means = new LinkedHashMap<>();
        int n = configurations;
        sums.forEach((p, s) -> means.put(p, new double[] {s[0] / n, s[1] / n}));
        return new Table(rows, means);
    }

    static TraceGenerator.Generated shared(Path folder, String name) throws IOException {
        Path file = folder.resolve(name + ".trace.gz");
        Trace t = Trace.load(file);
        long origin = TraceManifest.originBlocks(file).orElse(t.maxBlock() + 1);
        return new TraceGenerator.Generated(name, "shared trace " + name, origin, t);
    }

    /**
     * {@code main [shared|family|generated|all|reseeded|speed] [policies,…] [accesses/s]}: prints the
     * table(s). The shared traces are looked for in {@code shared/traces} above the working directory.
     */
    public static void main(String[] args) throws Exception {
        String which = args.length > 0 ? args[0] : "all";
        List<String> policies = args.length > 1 ? List.of(args[1].split(",")) : POLICIES;
        long rate = args.length > 2 ? Long.parseLong(args[2]) : SimOptions.DEFAULT_ACCESSES_PER_SECOND;
        SimOptions base = SimOptions.of(1, 1).withAccessesPerSecond(rate);
        if (which.equals("shared") || which.equals("all")) {
            Path folder = sharedFolder();
            List<TraceGenerator.Generated> traces = new ArrayList<>();
            for (String n : List.of("zipf_a1.0_small", "shift_small", "scanmix_small")) {
                traces.add(shared(folder, n));
            }
            System.out.println("## shared traces\n");
            System.out.println(compare(traces, policies, base).markdown());
        }
        if (which.equals("speed")) {
            speed(policies);
            return;
        }
        if (which.equals("family") || which.equals("all")) {
            suite("family", FamilyTraces.SUITE, policies, base);
        }
        if (which.equals("generated") || which.equals("all")) {
            suite("generated", TraceGenerator.SUITE, policies, base);
        }
        if (which.equals("reseeded")) { // not part of "all": 6 suites of 3 traces
            for (int seed : new int[] {301, 311, 321, 331}) {
                suite("reseeded " + seed, FamilyTraces.reseeded(seed, 1), policies, base);
            }
            suite("reseeded 301, twice as long", FamilyTraces.reseeded(301, 2), policies, base);
            suite("reseeded 301, four times as long", FamilyTraces.reseeded(301, 4), policies, base);
        }
    }

    private static void suite(String title, List<TraceGenerator.Spec> specs, List<String> policies, SimOptions base)
            throws PolicyException {
        List<TraceGenerator.Generated> traces = new ArrayList<>();
        for (TraceGenerator.Spec s : specs) {
            TraceGenerator.Generated g = s.generate();
            System.out.printf("- `%s`: %s%n", g.name(), g.description());
            traces.add(g);
        }
        System.out.println("\n## " + title + " traces\n");
        System.out.println(compare(traces, policies, base).markdown());
    }

    /**
     * Replay speed and memory at a million cache blocks: Zipf(0.9) over 20 M blocks (ranks clustered
     * in 16-block extents), 10 M accesses, 10 % writes, through the simulator (with its contract
     * checker), twice, the second run reported.
     */
    static void speed(List<String> policies) throws PolicyException {
        TraceGenerator.Generated g = TraceGenerator.zipf("speed_zipf0.9_20M", 42, 20_000_000, 10_000_000, 0.9, 16, 0.1);
        SimOptions options = SimOptions.of(1 << 20, g.originBlocks());
        for (String policy : policies) {
            SimResult r = null;
            for (int i = 0; i < 2; i++) {
                r = run(policy, g.trace(), options);
            }
            System.out.printf(Locale.ROOT, "%s: %,d accesses at C = %,d: %.0f k accesses/s, %.2f bytes per cache block,"
                    + " hit ratio %.4f, promotions %,d%n", policy, r.accesses(), r.cacheBlocks(),
                    r.accessesPerSecond() / 1000, r.bytesPerBlock(), r.hitRatio(), r.promotions());
        }
    }

    static Path sharedFolder() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            Path candidate = p.resolve("shared/traces");
            if (candidate.resolve("manifest.json").toFile().isFile()) {
                return candidate;
            }
        }
        return Path.of("/work/shared/traces");
    }
}
