package io.tiercache.core.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.tiercache.core.policy.PolicyRegistry;
import io.tiercache.core.policy.PolicyType;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How the replay drives a policy: writes, dirty state, writebacks, ticks and time. */
class SimulatorTest {
    private final PolicyType lru = new PolicyRegistry(Map.of()).require("lru");

    SimulatorTest() throws Exception {}

    @Test
    void writeHitsDirtyBlocksAndDemotingThemCostsAWriteback() throws Exception {
        // cache of 2: 1 and 2 promoted, 1 and 2 dirtied by write hits, 3 evicts 1 (dirty), 4 evicts 2
        Trace t = Trace.of("w", Trace.read(1), Trace.read(2), Trace.write(1), Trace.write(2), Trace.read(3),
                Trace.read(4), Trace.write(4));
        SimResult r = Simulator.run(lru, List.of(), t, SimOptions.of(2, 10));
        assertThat(r.hits()).isEqualTo(3);
        assertThat(r.writes()).isEqualTo(3);
        assertThat(r.promotions()).isEqualTo(4);
        assertThat(r.demotions()).isEqualTo(2);
        assertThat(r.writebacks()).isEqualTo(2);
        assertThat(r.dirtyAtEnd()).isEqualTo(1);
        assertThat(r.residency()).isEqualTo(2);
    }

    @Test
    void ticksComeEveryKAccessesAndNeverBeforeTheFirst() throws Exception {
        Trace t = Trace.of("r", new long[10]);
        assertThat(Simulator.run(lru, List.of(), t, SimOptions.of(1, 1).withTicksEvery(3)).ticks()).isEqualTo(3);
        assertThat(Simulator.run(lru, List.of(), t, SimOptions.of(1, 1).withTicksEvery(0)).ticks()).isZero();
    }

    @Test
    void aTraceBeyondTheOriginIsRefused() {
        Trace t = Trace.of("r", Trace.read(10));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Simulator.run(lru, List.of(), t, SimOptions.of(1, 10)))
                .hasMessageContaining("beyond an origin of 10 blocks");
    }

    @Test
    void theResultPrintsAsTextAndJson() throws Exception {
        SimResult r = Simulator.run(lru, List.of(), Trace.of("x", Trace.read(0), Trace.read(0)), SimOptions.of(1, 1));
        assertThat(r.toText()).contains("hit_ratio:               0.5\n");
        assertThat(r.toJson()).startsWith("{\"policy\": \"lru\", \"trace\": \"x\", \"cache_blocks\": 1")
                .contains("\"hit_ratio\": 0.5,");
    }
}
