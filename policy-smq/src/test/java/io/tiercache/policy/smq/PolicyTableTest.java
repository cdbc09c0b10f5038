package io.tiercache.policy.smq;

import static org.assertj.core.api.Assertions.assertThat;

import io.tiercache.core.policy.PolicyRegistry;
import io.tiercache.core.sim.SharedTraces;
import io.tiercache.core.sim.SharedTraces.Reference;
import io.tiercache.core.sim.SimOptions;
import io.tiercache.core.sim.SimResult;
import io.tiercache.core.sim.Simulator;
import io.tiercache.core.sim.Trace;
import io.tiercache.spi.policy.CachePolicy;
import io.tiercache.spi.policy.CachePolicyFactory;
import io.tiercache.spi.policy.PolicyGeometry;
import io.tiercache.spi.policy.PolicyVersion;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The full table: lru, smq and cleaner on the three shared traces at 1, 5 and 20 % cache sizes,
 * next to Belady's figures, with the simulator's default time model. lru must match the reference
 * exactly; smq and cleaner must respect what any policy must (never beat OPT, never exceed the
 * cache) and their own nature (smq copies far less than lru; the cleaner never promotes). The
 * table is written to target/policy-table.md.
 */
class PolicyTableTest {
    /** The cleaner lives in its own plugin; here it is built from the same engine. */
    private static final class Cleaner implements CachePolicyFactory {
        @Override
        public PolicyVersion version() {
            return SmqVersion.VERSION;
        }

        @Override
        public int hintSize() {
            return SmqVersion.HINT_SIZE;
        }

        @Override
        public CachePolicy create(PolicyGeometry geometry, InstantSource clock) {
            return new SmqPolicy(geometry, clock, SmqPolicy.Variant.CLEANER);
        }
    }

    @Test
    void theTable() throws Exception {
        PolicyRegistry registry = new PolicyRegistry(Map.of("smq", new SmqPolicyFactory(), "cleaner", new Cleaner()));
        StringBuilder md = new StringBuilder("| trace | C | policy | hit ratio | promotions | demotions | writebacks "
                + "| H | P |\n|---|---|---|---|---|---|---|---|---|\n");
        double sumH = 0;
        double sumP = 0;
        for (Reference ref : SharedTraces.REFERENCE) {
            Trace trace = SharedTraces.load(ref.trace());
            SimOptions options = SimOptions.of(ref.cacheBlocks(), SharedTraces.originBlocks(ref.trace()));
            double optRatio = (double) ref.optHits() / trace.size();
            for (String name : List.of("lru", "smq", "cleaner")) {
                SimResult r = Simulator.run(registry.require(name), List.of(), trace, options);
                double h = r.hitRatio() / optRatio;
                double p = (double) r.promotions() / ref.lruPromotions();
                md.append(String.format(Locale.ROOT, "| %s | %d | %s | %.4f | %d | %d | %d | %.3f | %.3f |%n",
                        ref.trace(), ref.cacheBlocks(), name, r.hitRatio(), r.promotions(), r.demotions(),
                        r.writebacks(), h, p));
                checkAnyPolicy(r, ref);
                switch (name) {
                    case "lru" -> {
                        assertThat(r.hits()).isEqualTo(ref.lruHits());
                        assertThat(r.promotions()).isEqualTo(ref.lruPromotions());
                    }
                    case "smq" -> {
                        assertThat(r.promotions()).as("smq copies less than lru").isLessThan(ref.lruPromotions());
                        assertThat(r.hits()).as("and still hits").isPositive();
                        sumH += h;
                        sumP += p;
                    }
                    default -> assertThat(r.promotions() + r.hits() + r.demotions()).as("the cleaner caches nothing")
                            .isZero();
                }
            }
            md.append(String.format(Locale.ROOT, "| %s | %d | OPT | %.4f | %d | | | 1.000 | %.3f |%n", ref.trace(),
                    ref.cacheBlocks(), optRatio, ref.optPromotions(), (double) ref.optPromotions() / ref.lruPromotions()));
        }
        int n = SharedTraces.REFERENCE.size();
        md.append(String.format(Locale.ROOT, "%nsmq: mean H = %.3f, mean P = %.3f%n", sumH / n, sumP / n));
        Files.writeString(Path.of("target/policy-table.md"), md);
        System.out.print(md);
        assertThat(sumP / n).as("smq's mean promotion score").isLessThan(0.5);
    }

    private static void checkAnyPolicy(SimResult r, Reference ref) {
        assertThat(r.hits()).as("nobody beats Belady").isLessThanOrEqualTo(ref.optHits());
        assertThat(r.residency()).isLessThanOrEqualTo(ref.cacheBlocks());
        assertThat(r.promotions() - r.demotions()).as("every block in the cache was promoted once")
                .isEqualTo(r.residency());
        assertThat(r.writebacks()).as("read-only traces dirty nothing").isZero();
    }
}
