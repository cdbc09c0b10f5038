package io.tiercache.policy.adaptive;

import static io.tiercache.policy.PolicyDriver.drain;
import static io.tiercache.policy.adaptive.AdaptiveDriver.FACTORY;
import static io.tiercache.policy.adaptive.AdaptiveDriver.adaptive;
import static io.tiercache.policy.adaptive.AdaptiveDriver.cached;
import static io.tiercache.policy.adaptive.AdaptiveDriver.read;
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
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The adaptive policy through the core's contract checker, driven by hand: admission, victims, hints,
 * the argument, memory. Background work and dirty blocks: {@link AdaptiveMigrationsTest}.
 */
class AdaptivePolicyTest {
    @Test
    void theFactoryRegistersItsOwnName() {
        assertThat(AdaptivePolicyFactory.class.getAnnotation(io.tiercache.spi.ExtensionName.class).value())
                .isEqualTo("adaptive");
        assertThat(FACTORY.version().toString()).isEqualTo("1.3.0");
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
