package io.tiercache.policy.adaptive;

import static org.assertj.core.api.Assertions.assertThat;

import io.tiercache.core.sim.SharedTraces;
import io.tiercache.core.sim.SharedTraces.Reference;
import io.tiercache.core.sim.SimOptions;
import io.tiercache.core.sim.SimResult;
import io.tiercache.core.sim.Simulator;
import io.tiercache.core.sim.Trace;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The adaptive policy on the three shared traces at 1, 5 and 20 % (the 9-configuration table, next
 * to lru, smq and Belady's OPT) and on the two validation suites, {@link TraceGenerator#SUITE} and
 * {@link FamilyTraces#SUITE} (next to lru and OPT). Only
 * sanity bounds with a wide margin are asserted (what any policy must respect, and that adaptive
 * clearly beats smq's hit score while copying far less than lru); the tables go to
 * {@code target/adaptive-table.md}, {@code target/adaptive-generated.md} and
 * {@code target/adaptive-family.md}.
 */
class AdaptiveTableTest {
    @Test
    void beladyReproducesTheReadmeFigures() {
        for (Reference ref : SharedTraces.REFERENCE) {
            Belady.Result opt = Belady.run(SharedTraces.load(ref.trace()), (int) ref.cacheBlocks());
            assertThat(opt.hits()).as("OPT hits, %s at %d", ref.trace(), ref.cacheBlocks()).isEqualTo(ref.optHits());
            assertThat(opt.promotions()).isEqualTo(ref.optPromotions());
        }
    }

    @Test
    void theSharedTable() throws Exception {
        StringBuilder md = new StringBuilder("| trace | C | policy | hit ratio | promotions | demotions | writebacks "
                + "| H | P |\n|---|---|---|---|---|---|---|---|---|\n");
        double[] sum = new double[4]; // adaptive H, P; smq H, P
        for (Reference ref : SharedTraces.REFERENCE) {
            Trace trace = SharedTraces.load(ref.trace());
            SimOptions options = SimOptions.of(ref.cacheBlocks(), SharedTraces.originBlocks(ref.trace()));
            double optRatio = (double) ref.optHits() / trace.size();
            for (String name : List.of("lru", "smq", "adaptive")) {
                SimResult r = Simulator.run(PolicyComparison.type(name), List.of(), trace, options);
                double h = r.hitRatio() / optRatio;
                double p = (double) r.promotions() / ref.lruPromotions();
                md.append(String.format(Locale.ROOT, "| %s | %d | %s | %.4f | %d | %d | %d | %.3f | %.3f |%n",
                        ref.trace(), ref.cacheBlocks(), name, r.hitRatio(), r.promotions(), r.demotions(),
                        r.writebacks(), h, p));
                assertThat(r.hits()).as("nobody beats Belady").isLessThanOrEqualTo(ref.optHits());
                assertThat(r.residency()).isLessThanOrEqualTo(ref.cacheBlocks());
                assertThat(r.promotions() - r.demotions()).isEqualTo(r.residency());
                if (name.equals("adaptive")) {
                    assertThat(r.promotions()).as("far fewer copies than lru").isLessThan(ref.lruPromotions() / 2);
                    sum[0] += h;
                    sum[1] += p;
                } else if (name.equals("smq")) {
                    sum[2] += h;
                    sum[3] += p;
                }
            }
            md.append(String.format(Locale.ROOT, "| %s | %d | OPT | %.4f | %d | | | 1.000 | %.3f |%n", ref.trace(),
                    ref.cacheBlocks(), optRatio, ref.optPromotions(),
                    (double) ref.optPromotions() / ref.lruPromotions()));
        }
        int n = SharedTraces.REFERENCE.size();
        md.append(String.format(Locale.ROOT,
                "%nadaptive: mean H = %.3f, mean P = %.3f; smq: mean H = %.3f, mean P = %.3f%n",
                sum[0] / n, sum[1] / n, sum[2] / n, sum[3] / n));
        Files.createDirectories(Path.of("target"));
        Files.writeString(Path.of("target/adaptive-table.md"), md);
        System.out.print(md);
        assertThat(sum[0] / n).as("adaptive's mean hit score").isGreaterThan(0.75).isGreaterThan(sum[2] / n + 0.1);
        assertThat(sum[1] / n).as("adaptive's mean promotion score").isLessThan(0.2);
    }

    @ParameterizedTest
    @ValueSource(strings = {"generated", "family"})
    void theValidationSuites(String suite) throws Exception {
        List<TraceGenerator.Generated> traces = new ArrayList<>();
        for (TraceGenerator.Spec s : suite.equals("family") ? FamilyTraces.SUITE : TraceGenerator.SUITE) {
            traces.add(s.generate());
        }
        PolicyComparison.Table table =
                PolicyComparison.compare(traces, List.of("lru", "adaptive"), SimOptions.of(1, 1));
        StringBuilder md = new StringBuilder();
        traces.forEach(g -> md.append("- `").append(g.name()).append("`: ").append(g.description()).append('\n'));
        md.append('\n').append(table.markdown());
        Files.createDirectories(Path.of("target"));
        Files.writeString(Path.of("target/adaptive-" + suite + ".md"), md);
        for (PolicyComparison.Row row : table.rows()) {
            if (!row.policy().equals("OPT")) {
                assertThat(row.h()).as("%s at %d: %s does not beat OPT", row.trace(), row.cacheBlocks(), row.policy())
                        .isLessThanOrEqualTo(1.0);
                assertThat(row.result().residency()).isLessThanOrEqualTo(row.cacheBlocks());
            }
        }
        double[] adaptive = table.meanHp().get("adaptive");
        assertThat(adaptive[0]).as("adaptive's mean hit score").isGreaterThan(0.65);
        assertThat(adaptive[1]).as("adaptive's mean promotion score").isLessThan(0.3);
    }

    @Test
    void generatedTracesDependOnlyOnTheirSeed() {
        Trace a = TraceGenerator.SUITE.get(2).generate().trace();
        Trace b = TraceGenerator.SUITE.get(2).generate().trace();
        assertThat(a.size()).isEqualTo(b.size());
        for (int i = 0; i < a.size(); i += 997) {
            assertThat(a.record(i)).isEqualTo(b.record(i));
        }
    }
}
