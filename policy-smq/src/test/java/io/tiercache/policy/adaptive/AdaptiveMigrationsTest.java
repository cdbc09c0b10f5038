package io.tiercache.policy.adaptive;

import static io.tiercache.policy.PolicyDriver.drain;
import static io.tiercache.policy.adaptive.AdaptiveDriver.adaptive;
import static io.tiercache.policy.adaptive.AdaptiveDriver.cached;
import static io.tiercache.policy.adaptive.AdaptiveDriver.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tiercache.core.policy.CheckedPolicy;
import io.tiercache.policy.PolicyInvariants;
import io.tiercache.spi.policy.Direction;
import io.tiercache.spi.policy.Lookup;
import io.tiercache.spi.policy.PolicyWork;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The adaptive policy's background work through the core's contract checker: random loads with work
 * handed out late, completed out of order or failed; writebacks when idle and of dirty victims;
 * migrations switched off.
 */
class AdaptiveMigrationsTest {
    @Test
    void underARandomLoadTheContractHoldsAndResidencyStaysWithinTheCache() {
        PolicyInvariants.randomLoadKeepsTheContract(adaptive(100, 5_000), 100, i -> {});
    }

    @Test
    void workHandedOutLateAndFailuresKeepTheContract() {
        CheckedPolicy p = adaptive(16, 2_000);
        Random rnd = new Random(11);
        List<PolicyWork> inFlight = new ArrayList<>();
        for (int i = 0; i < 50_000; i++) {
            long oblock = rnd.nextInt(64);
            long r = p.lookup(oblock, Direction.READ, false);
            if (Lookup.workQueued(r) || rnd.nextInt(8) == 0) {
                p.backgroundWork(rnd.nextBoolean()).ifPresent(inFlight::add);
            }
            if (!inFlight.isEmpty() && rnd.nextInt(3) == 0) {
                PolicyWork w = inFlight.remove(rnd.nextInt(inFlight.size()));
                boolean ok = rnd.nextInt(5) != 0;
                if (w.op() == PolicyWork.Op.PROMOTE) {
                    p.completeBackgroundWork(w, ok);
                    if (ok) {
                        p.clearDirty(w.cblock().value());
                    }
                } else {
                    if (ok) {
                        p.clearDirty(w.cblock().value());
                    }
                    p.completeBackgroundWork(w, ok);
                }
            }
            assertThat(p.residency()).isLessThanOrEqualTo(16);
        }
        assertThat(p.violation()).isEmpty();
    }

    @Test
    void everyDirtyBlockIsOfferedForWritebackWhenIdle() {
        CheckedPolicy p = adaptive(32, 1000);
        Set<Long> dirty = new HashSet<>();
        for (long b = 0; b < 32; b++) {
            long oblock = 16 * b; // one per extent: each is admitted on its own second use
            assertThat(write(p, oblock)).isEqualTo(Lookup.MISS);
            long r = write(p, oblock);
            assertThat(Lookup.isPromoteNow(r)).as("the second write is copied at once").isTrue();
            dirty.add(Lookup.cblock(r));
            assertThat(Lookup.isHit(write(p, oblock))).isTrue();
        }
        assertThat(p.dirtyCount()).isEqualTo(32);
        PolicyInvariants.idleCleaningWritesBackEveryDirtyBlock(p, dirty);
        assertThat(p.residency()).as("writebacks keep the mappings").isEqualTo(32);
    }

    @Test
    void aDirtyVictimIsDemotedAndNewBlocksKeepComing() {
        CheckedPolicy p = adaptive(4, 100_000);
        for (long b = 0; b < 4; b++) {
            write(p, 16 * b);
            write(p, 16 * b);
        }
        assertThat(p.dirtyCount()).isEqualTo(4);
        List<PolicyWork> seen = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            if (Lookup.workQueued(p.lookup(5_000, Direction.READ, false))) {
                seen.addAll(drain(p, false));
            }
        }
        assertThat(seen).extracting(PolicyWork::op).containsExactly(PolicyWork.Op.DEMOTE, PolicyWork.Op.PROMOTE);
        assertThat(p.dirtyCount()).isEqualTo(3);
        assertThat(cached(p, 5_000)).isTrue();
    }

    @Test
    void writebacksAreOfferedWithoutMigrationsToo() {
        CheckedPolicy p = adaptive(8, 1000);
        write(p, 1);
        write(p, 1);
        p.allowMigrations(false);
        assertThat(drain(p, true)).containsExactly(PolicyWork.writeback(1, 0));
        assertThat(p.dirtyCount()).isZero();
    }

    @Test
    void switchingMigrationsOffWithdrawsQueuedWork() {
        CheckedPolicy p = adaptive(4, 1000);
        p.lookup(1, Direction.READ, false);
        assertThat(p.lookup(1, Direction.READ, false)).isEqualTo(Lookup.MISS_WORK_QUEUED);
        assertThat(p.residency()).isEqualTo(1);
        p.allowMigrations(false);
        assertThat(p.residency()).as("the reserved block is given back").isZero();
        assertThat(drain(p, false)).isEmpty();
        for (int i = 0; i < 5; i++) {
            assertThat(p.lookup(2, Direction.READ, false)).isEqualTo(Lookup.MISS);
        }
        assertThat(Lookup.isPromoteNow(p.lookupWithWork(3, Direction.WRITE, true))).isFalse();
        assertThat(p.violation()).isEmpty();
    }

    @Test
    void completingUnknownWorkIsTheCallersMistake() {
        CheckedPolicy p = adaptive(4, 1000);
        assertThatThrownBy(() -> p.completeBackgroundWork(PolicyWork.promote(1, 0), true))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(p.violation()).isEmpty();
    }
}
