package io.tiercache.policy.smq;

import static io.tiercache.policy.PolicyDriver.drain;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tiercache.core.policy.CheckedPolicy;
import io.tiercache.core.sim.SimClock;
import io.tiercache.policy.PolicyInvariants;
import io.tiercache.spi.policy.Direction;
import io.tiercache.spi.policy.Lookup;
import io.tiercache.spi.policy.PolicyGeometry;
import io.tiercache.spi.policy.PolicyWork;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** smq's behaviour through the core's contract checker, with a hand-driven clock. */
class SmqPolicyTest {
    private final SimClock clock = new SimClock();

    private CheckedPolicy smq(long cacheBlocks, long originBlocks) {
        PolicyGeometry g = PolicyGeometry.ofBlocks(cacheBlocks, originBlocks, 128);
        return new CheckedPolicy("smq", new SmqPolicy(g, clock, SmqPolicy.Variant.SMQ), g, 4);
    }

    /** Overwrite-promotes {@code oblock} as the target does: complete, then mark dirty. */
    private static long overwrite(CheckedPolicy p, long oblock) {
        long r = p.lookupWithWork(oblock, Direction.WRITE, true);
        assertThat(Lookup.isPromoteNow(r)).as("promote-now for %d", oblock).isTrue();
        long c = Lookup.cblock(r);
        p.completeBackgroundWork(PolicyWork.promote(oblock, c), true);
        p.setDirty(c);
        return c;
    }

    @Test
    void aFreshCacheFillsCblocksInAscendingOrder() {
        CheckedPolicy p = smq(8, 1000);
        for (int i = 0; i < 8; i++) {
            assertThat(overwrite(p, 100 + 7L * i)).isEqualTo(i);
        }
        assertThat(p.residency()).isEqualTo(8);
        assertThat(Lookup.isPromoteNow(p.lookupWithWork(999, Direction.WRITE, true))).as("full").isFalse();
    }

    @Test
    void readsPromoteNothingBeforeTheFirstTick() {
        CheckedPolicy p = smq(64, 10_000);
        for (int i = 0; i < 50; i++) {
            assertThat(p.lookup(5, Direction.READ, false)).isEqualTo(Lookup.MISS);
        }
        assertThat(p.residency()).isZero();
    }

    @Test
    void thePromoteLevelFollowsTheHotspotConfidenceOnly() {
        SmqPolicy raw = new SmqPolicy(PolicyGeometry.ofBlocks(64, 100_000, 128), clock, SmqPolicy.Variant.SMQ);
        assertThat(raw.readPromoteLevel()).as("before the first tick").isEqualTo(64);
        clock.set(1_000_000);
        raw.tick(true);
        assertThat(raw.readPromoteLevel()).as("no confidence yet: POOR").isEqualTo(48);
        assertThat(raw.hotspotLevelJump()).isEqualTo(4);
        // Misses on one hotspot block until it sits in the top quarter: confidence becomes WELL.
        for (int i = 2; i < 200; i++) {
            clock.set(i * 1_000_000L);
            raw.tick(true);
            raw.lookup(7, Direction.READ, false);
        }
        assertThat(raw.readPromoteLevel()).as("WELL: every known hotspot may promote").isZero();
    }

    @Test
    void aHotBlockIsPromotedOnceItsHotspotClimbsAndThenHits() {
        CheckedPolicy p = smq(64, 10_000);
        boolean promoted = false;
        for (int i = 1; i <= 2000 && !promoted; i++) {
            clock.set(i * 1_000_000L);
            p.tick(true);
            long r = p.lookup(42, Direction.READ, false);
            if (Lookup.workQueued(r)) {
                promoted = drain(p, false).contains(PolicyWork.promote(42, 0));
            }
        }
        assertThat(promoted).isTrue();
        assertThat(p.lookup(42, Direction.READ, false)).isEqualTo(Lookup.hit(0));
    }

    @Test
    void underARandomLoadTheContractHoldsAndResidencyStaysWithinTheCache() {
        PolicyInvariants.randomLoadKeepsTheContract(smq(100, 5_000), 100, i -> clock.set(i * 1_000_000L));
    }

    @Test
    void everyDirtyBlockIsOfferedForWritebackWhenIdle() {
        CheckedPolicy p = smq(32, 1000);
        Set<Long> dirty = new HashSet<>();
        for (int i = 0; i < 32; i++) {
            dirty.add(overwrite(p, 3L * i));
        }
        PolicyInvariants.idleCleaningWritesBackEveryDirtyBlock(p, dirty);
    }

    @Test
    void hintsAreLevelsAndRoundTrip() {
        CheckedPolicy p = smq(16, 1000);
        for (int i = 0; i < 16; i++) {
            overwrite(p, i);
        }
        int[] hints = new int[16];
        for (int c = 0; c < 16; c++) {
            hints[c] = p.hint(c);
            assertThat(hints[c]).isBetween(0, 63);
        }
        assertThat(hints).as("promotions enter at the top level").containsOnly(63);

        CheckedPolicy q = smq(16, 1000);
        for (int c = 0; c < 16; c++) {
            q.loadMapping(c, c, c % 2 == 0, c * 4, true);
        }
        for (int c = 0; c < 16; c++) {
            assertThat(q.hint(c)).isEqualTo(c * 4);
        }
        assertThat(q.dirtyCount()).isEqualTo(8);
        assertThat(q.residency()).isEqualTo(16);
    }

    @Test
    void withoutAValidHintTheLevelIsTheKernelsHashOfTheCblock() {
        assertThat(SmqPolicy.randomLevel(0)).isZero();
        assertThat(SmqPolicy.randomLevel(1)).isEqualTo(3); // (0x61C88647 >> 23) & 63
        CheckedPolicy q = smq(16, 1000);
        q.loadMapping(7, 1, false, 0, false);
        q.loadMapping(8, 2, false, 1000, true);
        assertThat(q.hint(1)).isEqualTo(3);
        assertThat(q.hint(2)).as("clamped to the top level").isEqualTo(63);
        assertThat(q.hint(3)).as("unmapped").isZero();
    }

    @Test
    void loadedBlocksAreFirstInLineForDemotion() {
        CheckedPolicy p = smq(4, 1000);
        for (int c = 0; c < 4; c++) {
            p.loadMapping(10 + c, c, false, 10, true);
        }
        // Make reads promote: a tick with a confident hotspot queue sets the promote level to 0.
        for (int i = 1; i <= 100; i++) {
            clock.set(i * 10_000_000L);
            p.tick(true);
            p.lookup(500, Direction.READ, false);
            drain(p, false);
        }
        // Each load goes to the head of its level, so the last one loaded was first in line.
        assertThat(p.lookup(13, Direction.READ, false)).as("demoted").isEqualTo(Lookup.MISS);
        assertThat(p.lookup(500, Direction.READ, false)).as("promoted into its cblock").isEqualTo(Lookup.hit(3));
        assertThat(p.lookup(10, Direction.READ, false)).isEqualTo(Lookup.hit(0));
    }

    @Test
    void invalidationDropsAMappingWhateverItsState() {
        CheckedPolicy p = smq(4, 1000);
        long c = overwrite(p, 9);
        assertThat(p.invalidateMapping(c)).isTrue();
        assertThat(p.invalidateMapping(c)).as("nothing left").isFalse();
        assertThat(p.residency()).isZero();
        assertThat(p.lookup(9, Direction.READ, false)).isEqualTo(Lookup.MISS);
    }

    @Test
    void withoutMigrationsNothingIsPromoted() {
        CheckedPolicy p = smq(4, 1000);
        p.allowMigrations(false);
        assertThat(Lookup.isPromoteNow(p.lookupWithWork(1, Direction.WRITE, true))).isFalse();
        assertThat(p.residency()).isZero();
    }

    @Test
    void smqTakesNoArgumentsAndMqIgnoresItsOldTunables() {
        PolicyGeometry g = PolicyGeometry.ofBlocks(4, 100, 128);
        SmqPolicy smq = new SmqPolicy(g, clock, SmqPolicy.Variant.SMQ);
        assertThat(smq.setConfigValue("random_threshold", "4")).isFalse();
        assertThat(smq.configValues()).isEmpty();

        SmqPolicy mq = new SmqPolicy(g, clock, SmqPolicy.Variant.MQ);
        assertThat(mq.setConfigValue("Sequential_Threshold", "512")).as("keys are case-insensitive").isTrue();
        assertThat(mq.setConfigValue("write_promote_adjustment", "+8")).isTrue();
        assertThat(mq.setConfigValue("random_threshold", "-1")).isFalse();
        assertThat(mq.setConfigValue("random_threshold", "x")).isFalse();
        assertThat(mq.setConfigValue("migration_threshold", "8")).as("the core's key, not mq's").isFalse();
        assertThat(String.join(" ", mq.configValues())).isEqualTo("random_threshold 0 sequential_threshold 0 "
                + "discard_promote_adjustment 0 read_promote_adjustment 0 write_promote_adjustment 0");
    }

    @Test
    void theHotspotTableIsSizedFromTheCacheAndOrigin() {
        PolicyGeometry big = PolicyGeometry.ofBlocks(100_000, 10_000_000, 128);
        assertThat(HotspotGeometry.of(big)).isEqualTo(new HotspotGeometry(16 * 128, 25_000, 16));
        PolicyGeometry smallOrigin = PolicyGeometry.ofBlocks(100, 3000, 128);
        // 1024 entries of 16 blocks would span 16384 blocks > 3000: halve to 2 blocks (2048 <= 3000).
        assertThat(HotspotGeometry.of(smallOrigin)).isEqualTo(new HotspotGeometry(2 * 128, 1024, 2));
    }

    @Test
    void completingUnknownWorkIsTheCallersMistake() {
        CheckedPolicy p = smq(4, 1000);
        assertThatThrownBy(() -> p.completeBackgroundWork(PolicyWork.promote(1, 0), true))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(p.violation()).isEmpty();
    }
}
