package io.tiercache.policy.cleaner;

import static org.assertj.core.api.Assertions.assertThat;

import io.tiercache.core.policy.CheckedPolicy;
import io.tiercache.core.policy.PolicyRegistry;
import io.tiercache.core.policy.PolicyType;
import io.tiercache.core.sim.SimClock;
import io.tiercache.spi.policy.Direction;
import io.tiercache.spi.policy.Lookup;
import io.tiercache.spi.policy.PolicyGeometry;
import io.tiercache.spi.policy.PolicyWork;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The cleaner: no promotions, no demotions, every dirty block written back even when busy. */
class CleanerPolicyTest {
    private final SimClock clock = new SimClock();
    private final PolicyGeometry geometry = PolicyGeometry.ofBlocks(64, 10_000, 128);

    private CheckedPolicy cleaner() throws Exception {
        PolicyType type = new PolicyRegistry(Map.of("cleaner", new CleanerPolicyFactory())).require("cleaner");
        assertThat(type.realName()).isEqualTo("cleaner");
        assertThat(type.version().toString()).isEqualTo("2.0.0");
        assertThat(type.hintSize()).isEqualTo(4);
        return type.create(geometry, clock, List.of());
    }

    /** Takes and completes work until the policy has none (busy unless {@code idle}). */
    private static List<PolicyWork> drain(CheckedPolicy p, boolean idle) {
        List<PolicyWork> done = new ArrayList<>();
        for (Optional<PolicyWork> w = p.backgroundWork(idle); w.isPresent(); w = p.backgroundWork(idle)) {
            p.clearDirty(w.get().cblock().value());
            p.completeBackgroundWork(w.get(), true);
            done.add(w.get());
        }
        return done;
    }

    @Test
    void itNeverPromotesWhateverTheLoad() throws Exception {
        CheckedPolicy p = cleaner();
        for (int i = 1; i <= 20_000; i++) {
            clock.set(i * 1_000_000L);
            p.tick(true);
            long r = i % 2 == 0 ? p.lookupWithWork(i % 50, Direction.WRITE, true) : p.lookup(i % 50, Direction.READ, false);
            assertThat(Lookup.isHit(r) || Lookup.isPromoteNow(r)).isFalse();
            assertThat(drain(p, false)).isEmpty();
        }
        assertThat(p.residency()).isZero();
    }

    @Test
    void itStaysWithoutMigrationsEvenIfAllowed() throws Exception {
        CheckedPolicy p = cleaner();
        p.allowMigrations(true);
        assertThat(Lookup.isPromoteNow(p.lookupWithWork(1, Direction.WRITE, true))).isFalse();
    }

    @Test
    void everyDirtyBlockIsWrittenBackWithinTwoWritebackPeriodsEvenWhenBusy() throws Exception {
        CheckedPolicy p = cleaner();
        for (int c = 0; c < 64; c++) {
            p.loadMapping(1000 + c, c, c % 4 != 0, 5, true); // 48 dirty, hints valid
        }
        assertThat(p.dirtyCount()).isEqualTo(48);
        // Loaded blocks sit in front of the sentinels: written back at once, busy or not.
        assertThat(drain(p, false)).hasSize(48).allMatch(w -> w.op() == PolicyWork.Op.WRITEBACK);
        assertThat(p.dirtyCount()).isZero();

        // Blocks dirtied now are behind both sentinels of their level: a busy cleaner takes them once
        // both sets have moved behind them, after one or two writeback periods (10 s each).
        for (int c = 0; c < 8; c++) {
            p.lookup(1000 + c, Direction.WRITE, false);
            p.setDirty(c);
        }
        assertThat(drain(p, false)).isEmpty();
        long wrote = 0;
        for (int s = 1; s <= 60 && p.dirtyCount() > 0; s++) {
            clock.set(s * 1_000_000_000L);
            p.tick(true);
            wrote += drain(p, false).size();
        }
        assertThat(wrote).isEqualTo(8);
        assertThat(p.dirtyCount()).isZero();
        assertThat(clock.millis()).as("two periods and a tick").isBetween(10_001L, 22_000L);
    }

    @Test
    void anIdleCleanerTakesEveryDirtyBlockAtOnce() throws Exception {
        CheckedPolicy p = cleaner();
        for (int c = 0; c < 10; c++) {
            p.loadMapping(c, c, false, 0, false);
            p.lookup(c, Direction.WRITE, false);
            p.setDirty(c);
        }
        assertThat(drain(p, true)).hasSize(10);
        assertThat(p.residency()).as("mappings stay").isEqualTo(10);
        assertThat(p.lookup(3, Direction.READ, false)).isEqualTo(Lookup.hit(3));
    }

    @Test
    void itTakesNoArguments() throws Exception {
        PolicyType type = new PolicyRegistry(Map.of("cleaner", new CleanerPolicyFactory())).require("cleaner");
        org.assertj.core.api.Assertions.assertThatThrownBy(
                () -> type.create(geometry, clock, List.of("random_threshold", "4")))
                .hasMessage("Error setting cache policy's config values");
        assertThat(cleaner().configValues()).isEmpty();
    }
}
