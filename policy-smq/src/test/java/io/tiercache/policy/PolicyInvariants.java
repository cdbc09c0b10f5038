package io.tiercache.policy;

import static io.tiercache.policy.PolicyDriver.access;
import static io.tiercache.policy.PolicyDriver.drain;
import static org.assertj.core.api.Assertions.assertThat;

import io.tiercache.core.policy.CheckedPolicy;
import io.tiercache.spi.policy.Lookup;
import io.tiercache.spi.policy.PolicyWork;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.function.IntConsumer;

/** Invariants every policy of this plugin must keep, checked the same way for each (through {@link PolicyDriver}). */
public final class PolicyInvariants {
    private PolicyInvariants() {}

    /**
     * 200,000 accesses, 80 % to 300 hot blocks and a quarter of them writes, over a 5,000-block origin,
     * a tick every third access and the migration worker run now and then, sometimes as if idle:
     * the contract is never broken and residency never exceeds the cache. {@code beforeAccess}
     * gets the access's number (from 1), e.g. to move a clock.
     */
    public static void randomLoadKeepsTheContract(CheckedPolicy p, long cacheBlocks, IntConsumer beforeAccess) {
        Random rnd = new Random(7);
        for (int i = 1; i <= 200_000; i++) {
            beforeAccess.accept(i);
            if (i % 3 == 0) {
                p.tick(true);
            }
            long oblock = rnd.nextInt(10) < 8 ? rnd.nextInt(300) : rnd.nextInt(5_000);
            long r = access(p, oblock, rnd.nextInt(4) == 0);
            if (Lookup.workQueued(r) || i % 100 == 0) {
                drain(p, i % 1000 == 0);
            }
            assertThat(p.residency()).isLessThanOrEqualTo(cacheBlocks);
        }
        assertThat(p.violation()).isEmpty();
    }

    /**
     * With {@code dirty} the cblocks of all dirty blocks: a busy device gets no cleaning, an idle one
     * gets exactly one writeback for each of them, after which nothing is dirty.
     */
    public static void idleCleaningWritesBackEveryDirtyBlock(CheckedPolicy p, Set<Long> dirty) {
        assertThat(drain(p, false)).as("busy, nothing is cleaned").isEmpty();
        List<PolicyWork> done = drain(p, true);
        assertThat(done).allMatch(w -> w.op() == PolicyWork.Op.WRITEBACK);
        assertThat(done.stream().map(w -> w.cblock().value()).toList()).containsExactlyInAnyOrderElementsOf(dirty);
        assertThat(p.dirtyCount()).isZero();
    }
}
