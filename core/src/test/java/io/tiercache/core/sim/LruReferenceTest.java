package io.tiercache.core.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.tiercache.core.policy.PolicyRegistry;
import io.tiercache.core.sim.SharedTraces.Reference;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The built-in lru through the simulator reproduces the shared traces' LRU figures exactly. */
class LruReferenceTest {
    static Stream<Reference> references() {
        return SharedTraces.REFERENCE.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("references")
    void lruMatchesTheReadme(Reference ref) throws Exception {
        Trace trace = SharedTraces.load(ref.trace());
        SimOptions options = SimOptions.of(ref.cacheBlocks(), SharedTraces.originBlocks(ref.trace()));
        SimResult r = Simulator.run(new PolicyRegistry(Map.of()).require("lru"), List.of(), trace, options);

        assertThat(r.hits()).isEqualTo(ref.lruHits());
        assertThat(r.promotions()).isEqualTo(ref.lruPromotions());
        assertThat(r.demotions()).as("the cache ends full").isEqualTo(ref.lruPromotions() - ref.cacheBlocks());
        assertThat(r.residency()).isEqualTo(ref.cacheBlocks());
        assertThat(r.writebacks()).isZero();
        assertThat(r.dirtyAtEnd()).isZero();
    }
}
