package io.tiercache.policy.adaptive;

import static io.tiercache.policy.PolicyDriver.access;
import static io.tiercache.policy.PolicyDriver.drain;

import io.tiercache.core.policy.CheckedPolicy;
import io.tiercache.core.sim.SimClock;
import io.tiercache.spi.policy.Direction;
import io.tiercache.spi.policy.Lookup;
import io.tiercache.spi.policy.PolicyGeometry;

/**
 * The adaptive policy behind the core's contract checker ({@link CheckedPolicy}), and single accesses
 * with the migration worker run at once, as {@link io.tiercache.policy.PolicyDriver} makes them.
 */
final class AdaptiveDriver {
    static final AdaptivePolicyFactory FACTORY = new AdaptivePolicyFactory();

    static CheckedPolicy adaptive(long cacheBlocks, long originBlocks) {
        PolicyGeometry g = PolicyGeometry.ofBlocks(cacheBlocks, originBlocks, 128);
        return new CheckedPolicy("adaptive", FACTORY.create(g, new SimClock()), g, FACTORY.hintSize());
    }

    /** A read, with the migration worker run at once. */
    static long read(CheckedPolicy p, long oblock) {
        long r = access(p, oblock, false);
        if (Lookup.workQueued(r)) {
            drain(p, false);
        }
        return r;
    }

    /** A whole-block write, with the migration worker run at once. */
    static long write(CheckedPolicy p, long oblock) {
        long r = access(p, oblock, true);
        if (Lookup.isPromoteNow(r) || Lookup.workQueued(r)) {
            drain(p, false);
        }
        return r;
    }

    static boolean cached(CheckedPolicy p, long oblock) {
        return Lookup.isHit(p.lookup(oblock, Direction.READ, false));
    }

    private AdaptiveDriver() {}
}
