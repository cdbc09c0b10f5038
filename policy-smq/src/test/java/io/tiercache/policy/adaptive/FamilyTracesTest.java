package io.tiercache.policy.adaptive;

import static org.assertj.core.api.Assertions.assertThat;

import io.tiercache.core.sim.SharedTraces;
import io.tiercache.core.sim.Trace;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The family suite is a proxy for traces made by the shared traces' generator, so its shift traces
 * must have the structure a policy can see in {@code shift_small}: within a phase, popularity grouped
 * in extents. A ranking redrawn block by block inside the hot set (the suite's first version) spreads
 * the busiest tenth of the hot set over all its extents and halves this measure.
 */
class FamilyTracesTest {
    private static final int EXTENT = 16;

    @Test
    void shiftTracesGroupAPhasesPopularityInExtentsAsShiftSmallDoes() {
        double reference = busiestExtentsShare(SharedTraces.load("shift_small"), 40_000, 4_000);
        assertThat(reference).as("shift_small, first phase").isBetween(0.30, 0.40);
        record Shift(int index, int period, int hot) {}
        for (Shift s : List.of(new Shift(3, 50_000, 6_000), new Shift(4, 60_000, 3_000), new Shift(5, 30_000, 8_000))) {
            TraceGenerator.Generated g = FamilyTraces.SUITE.get(s.index()).generate();
            assertThat(busiestExtentsShare(g.trace(), s.period(), s.hot()))
                    .as("%s, first phase, against shift_small's %.3f", g.name(), reference)
                    .isBetween(reference - 0.06, reference + 0.06);
        }
    }

    /** Share of a trace's first phase that goes to its busiest extents, as many as hold a tenth of the hot set. */
    private static double busiestExtentsShare(Trace trace, int period, int hotBlocks) {
        Map<Long, Integer> perExtent = new HashMap<>();
        for (int i = 0; i < period; i++) {
            perExtent.merge(trace.block(i) / EXTENT, 1, Integer::sum);
        }
        int top = hotBlocks / EXTENT / 10;
        long busiest = perExtent.values().stream().sorted((a, b) -> b - a).limit(top)
                .mapToLong(Integer::longValue).sum();
        return (double) busiest / period;
    }
}
