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
    void aWriteMissThatPromotesLeavesTheBlockDirtyAsTheTracesModelSays() throws Exception {
        // cache of 2: W1 and W2 promoted dirty; R3 evicts 1 (a writeback), W4 evicts 2 (another) and is dirty
        Trace t = Trace.of("w", Trace.write(1), Trace.write(2), Trace.read(3), Trace.write(4));
        SimResult r = Simulator.run(lru, List.of(), t, SimOptions.of(2, 10));
        assertThat(r.hits()).isZero();
        assertThat(r.promotions()).isEqualTo(4);
        assertThat(r.demotions()).isEqualTo(2);
        assertThat(r.writebacks()).isEqualTo(2);
        assertThat(r.dirtyAtEnd()).isEqualTo(1);
    }

    @Test
    void lruWithWritesCountsExactlyAsATextbookLruWithDirtyBits() throws Exception {
        java.util.Random rnd = new java.util.Random(11);
        long[] entries = new long[30_000];
        for (int i = 0; i < entries.length; i++) {
            long block = (long) Math.min(1999, 1 / Math.pow(1 - rnd.nextDouble(), 1.3)) % 2000;
            entries[i] = rnd.nextInt(10) < 3 ? Trace.write(block) : Trace.read(block);
        }
        Trace t = Trace.of("mixed", entries);
        for (int c : new int[] {7, 50, 300}) {
            long[] expected = textbookLru(t, c);
            SimResult r = Simulator.run(lru, List.of(), t, SimOptions.of(c, 2000));
            assertThat(new long[] {r.hits(), r.promotions(), r.demotions(), r.writebacks(), r.dirtyAtEnd()})
                    .as("C = %d", c).containsExactly(expected);
        }
    }

    /** hits, promotions, demotions, writebacks, dirty at end of the traces README's LRU. */
    private static long[] textbookLru(Trace t, int capacity) {
        java.util.LinkedHashMap<Long, Boolean> cache = new java.util.LinkedHashMap<>(16, 0.75f, true);
        long hits = 0;
        long promotions = 0;
        long demotions = 0;
        long writebacks = 0;
        for (int i = 0; i < t.size(); i++) {
            long b = t.block(i);
            boolean w = t.isWrite(i);
            Boolean dirty = cache.get(b);
            if (dirty != null) {
                hits++;
                cache.put(b, dirty || w);
                continue;
            }
            promotions++;
            if (cache.size() == capacity) {
                var eldest = cache.entrySet().iterator().next();
                writebacks += eldest.getValue() ? 1 : 0;
                cache.remove(eldest.getKey());
                demotions++;
            }
            cache.put(b, w);
        }
        long dirtyAtEnd = cache.values().stream().filter(d -> d).count();
        return new long[] {hits, promotions, demotions, writebacks, dirtyAtEnd};
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
