package io.tiercache.policy.adaptive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tiercache.core.policy.CheckedPolicy;
import io.tiercache.core.sim.SimClock;
import io.tiercache.spi.policy.CachePolicy;
import io.tiercache.spi.policy.Direction;
import io.tiercache.spi.policy.Lookup;
import io.tiercache.spi.policy.PolicyGeometry;
import io.tiercache.spi.policy.PolicyWork;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The adaptive policy through the core's contract checker, driven by hand. */
class AdaptivePolicyTest {
    private static final AdaptivePolicyFactory FACTORY = new AdaptivePolicyFactory();

    private static CheckedPolicy adaptive(long cacheBlocks, long originBlocks) {
        PolicyGeometry g = PolicyGeometry.ofBlocks(cacheBlocks, originBlocks, 128);
        return new CheckedPolicy("adaptive", FACTORY.create(g, new SimClock()), g, FACTORY.hintSize());
    }

    /** A read as the target does it, with the migration worker run at once. */
    private static long read(CheckedPolicy p, long oblock) {
        long r = p.lookup(oblock, Direction.READ, false);
        if (Lookup.workQueued(r)) {
            drain(p, false);
        }
        return r;
    }

    /** A whole-block write as the target does it. */
    private static long write(CheckedPolicy p, long oblock) {
        long r = p.lookupWithWork(oblock, Direction.WRITE, true);
        if (Lookup.isHit(r)) {
            p.setDirty(r);
        } else if (Lookup.isPromoteNow(r)) {
            p.completeBackgroundWork(PolicyWork.promote(oblock, Lookup.cblock(r)), true);
            p.setDirty(Lookup.cblock(r));
            drain(p, false);
        } else if (Lookup.workQueued(r)) {
            drain(p, false);
        }
        return r;
    }

    private static List<PolicyWork> drain(CheckedPolicy p, boolean idle) {
        List<PolicyWork> done = new ArrayList<>();
        for (Optional<PolicyWork> w = p.backgroundWork(idle); w.isPresent(); w = p.backgroundWork(idle)) {
            PolicyWork work = w.get();
            long c = work.cblock().value();
            switch (work.op()) {
                case PROMOTE -> {
                    p.completeBackgroundWork(work, true);
                    p.clearDirty(c);
                }
                case DEMOTE, WRITEBACK -> {
                    p.clearDirty(c);
                    p.completeBackgroundWork(work, true);
                }
            }
            done.add(work);
        }
        return done;
    }

    private static boolean cached(CheckedPolicy p, long oblock) {
        return Lookup.isHit(p.lookup(oblock, Direction.READ, false));
    }

    @Test
    void theFactoryRegistersItsOwnName() {
        assertThat(AdaptivePolicyFactory.class.getAnnotation(io.tiercache.spi.ExtensionName.class).value())
                .isEqualTo("adaptive");
        assertThat(FACTORY.version().toString()).isEqualTo("1.2.0");
        assertThat(FACTORY.hintSize()).isEqualTo(4);
        assertThat(FACTORY.aliasOf()).isEmpty();
        assertThatThrownBy(() -> FACTORY.create(PolicyGeometry.ofBlocks(1L << 32, 1L << 40, 128), new SimClock()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theUsefulShareIsTheOnePolicyArgument() {
        CheckedPolicy p = adaptive(8, 1000);
        assertThat(p.configValues()).containsExactly("useful_percent", "50");
        assertThat(p.setConfigValue("Useful_Percent", "60")).as("keys are case-insensitive").isTrue();
        assertThat(p.configValues()).containsExactly("useful_percent", "60");
        for (String bad : new String[] {"0", "100", "-5", "x", ""}) {
            assertThat(p.setConfigValue("useful_percent", bad)).as(bad).isFalse();
        }
        assertThat(p.setConfigValue("migration_threshold", "8")).isFalse();
        assertThat(p.configValues()).containsExactly("useful_percent", "60");
    }

    @Test
    void aBlockReadOnceIsNotCopiedButOneReadTwiceIs() {
        CheckedPolicy p = adaptive(8, 100_000);
        assertThat(read(p, 5_000)).isEqualTo(Lookup.MISS);
        assertThat(p.residency()).isZero();
        assertThat(read(p, 5_000)).as("second use").isEqualTo(Lookup.MISS_WORK_QUEUED);
        assertThat(p.residency()).isEqualTo(1);
        assertThat(cached(p, 5_000)).isTrue();
    }

    @Test
    void aSequentialScanAmongHotTrafficCopiesNothingAndEvictsNothing() {
        CheckedPolicy p = adaptive(1024, 1_000_000);
        for (int round = 0; round < 3; round++) {
            for (long b = 0; b < 1024; b++) {
                read(p, b);
            }
        }
        assertThat(p.residency()).isEqualTo(1024);
        int promoted = 0;
        Random rnd = new Random(5);
        for (long i = 0; i < 20_000; i++) { // one scan read to four reads of the hot blocks
            if (Lookup.workQueued(p.lookup(500_000 + i, Direction.READ, false))) {
                promoted += (int) drain(p, false).stream().filter(w -> w.op() == PolicyWork.Op.PROMOTE).count();
            }
            for (int j = 0; j < 4; j++) {
                read(p, rnd.nextInt(1024));
            }
        }
        assertThat(promoted).as("scan blocks copied").isLessThanOrEqualTo(200);
        long hot = java.util.stream.LongStream.range(0, 1024).filter(b -> cached(p, b)).count();
        assertThat(hot).as("hot blocks still cached").isGreaterThanOrEqualTo(1024 - 200);
    }

    @Test
    void aFrequentlyUsedBlockDisplacesARarelyUsedOne() {
        CheckedPolicy p = adaptive(4, 100_000);
        for (long b = 0; b < 4; b++) {
            read(p, b);
            read(p, b);
        }
        assertThat(p.residency()).isEqualTo(4);
        // the hot newcomer is used over and over; the residents only twice
        boolean in = false;
        for (int i = 0; i < 10 && !in; i++) {
            read(p, 999);
            in = cached(p, 999);
        }
        assertThat(in).isTrue();
        assertThat(p.residency()).isEqualTo(4);
    }

    @Test
    void aCandidateThatOnlyTiesDoesNotChurn() {
        CheckedPolicy p = adaptive(4, 100_000);
        for (long b = 0; b < 4; b++) {
            read(p, b);
            read(p, b);
        }
        read(p, 50_000);
        assertThat(read(p, 50_000)).as("two uses against two").isEqualTo(Lookup.MISS);
        assertThat(cached(p, 50_000)).isFalse();
    }

    @Test
    void underARandomLoadTheContractHoldsAndResidencyStaysWithinTheCache() {
        CheckedPolicy p = adaptive(100, 5_000);
        Random rnd = new Random(7);
        for (int i = 1; i <= 200_000; i++) {
            if (i % 3 == 0) {
                p.tick(true);
            }
            long oblock = rnd.nextInt(10) < 8 ? rnd.nextInt(300) : rnd.nextInt(5_000);
            boolean isWrite = rnd.nextInt(4) == 0;
            long r = isWrite ? p.lookupWithWork(oblock, Direction.WRITE, true)
                    : p.lookup(oblock, Direction.READ, false);
            if (Lookup.isHit(r) && isWrite) {
                p.setDirty(r);
            } else if (Lookup.isPromoteNow(r)) {
                p.completeBackgroundWork(PolicyWork.promote(oblock, Lookup.cblock(r)), true);
                p.setDirty(Lookup.cblock(r));
            }
            if (Lookup.workQueued(r) || i % 100 == 0) {
                drain(p, i % 1000 == 0);
            }
            assertThat(p.residency()).isLessThanOrEqualTo(100);
        }
        assertThat(p.violation()).isEmpty();
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
        assertThat(drain(p, false)).as("busy, nothing is cleaned").isEmpty();
        List<PolicyWork> done = drain(p, true);
        assertThat(done).allMatch(w -> w.op() == PolicyWork.Op.WRITEBACK);
        assertThat(done.stream().map(w -> w.cblock().value()).toList()).containsExactlyInAnyOrderElementsOf(dirty);
        assertThat(p.dirtyCount()).isZero();
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
    void hintsCarryUsesAndSegmentAndRoundTrip() {
        CheckedPolicy p = adaptive(16, 1000);
        for (long b = 0; b < 16; b++) {
            for (int i = 0; i < 2 + (b % 5); i++) {
                read(p, b);
            }
        }
        int[] hints = new int[16];
        for (int c = 0; c < 16; c++) {
            hints[c] = p.hint(c);
            assertThat(hints[c] & 15).as("uses of cblock %d", c).isBetween(1, 15);
            assertThat(hints[c] >>> 5).isZero();
        }
        assertThat(java.util.Arrays.stream(hints).anyMatch(h -> (h & 16) != 0)).as("some were hit after promotion")
                .isTrue();

        CheckedPolicy q = adaptive(16, 1000);
        for (int c = 0; c < 16; c++) {
            q.loadMapping(c, c, c % 2 == 0, hints[c], true);
        }
        for (int c = 0; c < 16; c++) {
            assertThat(q.hint(c)).as("cblock %d", c).isEqualTo(hints[c]);
        }
        assertThat(q.dirtyCount()).isEqualTo(8);
        assertThat(q.residency()).isEqualTo(16);
    }

    @Test
    void untrustedHintsAreIgnored() {
        CheckedPolicy q = adaptive(4, 1000);
        q.loadMapping(7, 1, false, 15 | 16, false);
        assertThat(q.hint(1)).isZero();
        assertThat(q.hint(2)).as("unmapped").isZero();
        assertThat(cached(q, 7)).isTrue();
    }

    @Test
    void loadedBlocksOnProbationGoFirst() {
        CheckedPolicy p = adaptive(2, 1000);
        p.loadMapping(10, 0, false, 3, true);
        p.loadMapping(11, 1, false, 3 | 16, true);
        for (int i = 0; i < 6; i++) {
            read(p, 500);
        }
        assertThat(cached(p, 500)).isTrue();
        assertThat(cached(p, 10)).as("the probation block made room").isFalse();
        assertThat(cached(p, 11)).as("the protected one stayed").isTrue();
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
    void invalidationDropsAMapping() {
        CheckedPolicy p = adaptive(4, 1000);
        read(p, 9);
        read(p, 9);
        assertThat(p.invalidateMapping(0)).isTrue();
        assertThat(p.invalidateMapping(0)).as("nothing left").isFalse();
        assertThat(p.residency()).isZero();
        assertThat(p.lookup(9, Direction.READ, false)).isNotEqualTo(Lookup.hit(0));
    }

    @Test
    void completingUnknownWorkIsTheCallersMistake() {
        CheckedPolicy p = adaptive(4, 1000);
        assertThatThrownBy(() -> p.completeBackgroundWork(PolicyWork.promote(1, 0), true))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(p.violation()).isEmpty();
    }

    @Test
    void aCacheOfNoBlocksMissesEverything() {
        CheckedPolicy p = adaptive(0, 1000);
        for (int i = 0; i < 10; i++) {
            assertThat(p.lookup(1, Direction.READ, false)).isEqualTo(Lookup.MISS);
            assertThat(p.lookupWithWork(2, Direction.WRITE, true)).isEqualTo(Lookup.MISS);
        }
        assertThat(p.residency()).isZero();
    }

    @Test
    void memoryIsAbout31BytesPerBlockAtAMillionBlocks() {
        CachePolicy p = FACTORY.create(PolicyGeometry.ofBlocks(1 << 20, 1L << 30, 128), new SimClock());
        double perBlock = (double) p.memoryBytes() / (1 << 20);
        assertThat(perBlock).isBetween(28.0, 32.0);
    }

    @Test
    void lookupsAllocateNothing() {
        CachePolicy p = FACTORY.create(PolicyGeometry.ofBlocks(1024, 1 << 20, 128), new SimClock());
        Random rnd = new Random(3);
        long[] blocks = new long[100_000];
        for (int i = 0; i < blocks.length; i++) {
            blocks[i] = rnd.nextInt(1 << 20);
        }
        for (long b = 0; b < 1024; b++) { // fill, so no promotion into free blocks below
            p.lookup(b, Direction.READ, false);
            p.lookup(b, Direction.READ, false);
            p.backgroundWork(false).ifPresent(w -> p.completeBackgroundWork(w, true));
        }
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long tid = Thread.currentThread().threadId();
        long sink = 0;
        for (int round = 0; round < 3; round++) { // warm up, then measure
            long before = threads.getThreadAllocatedBytes(tid);
            for (long b : blocks) { // one-off misses (bypassed) …
                sink += p.lookup(b, Direction.READ, false);
            }
            for (int i = 0; i < 100_000; i++) { // … and hits
                sink += p.lookup(i & 1023, Direction.READ, false);
            }
            long allocated = threads.getThreadAllocatedBytes(tid) - before;
            if (round == 2) {
                assertThat(allocated).as("bytes allocated by 200,000 lookups").isLessThan(1024);
            }
        }
        assertThat(sink).isNotZero();
    }
}
