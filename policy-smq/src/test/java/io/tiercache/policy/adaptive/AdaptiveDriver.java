package io.tiercache.policy.adaptive;

import io.tiercache.core.policy.CheckedPolicy;
import io.tiercache.core.sim.SimClock;
import io.tiercache.spi.policy.Direction;
import io.tiercache.spi.policy.Lookup;
import io.tiercache.spi.policy.PolicyGeometry;
import io.tiercache.spi.policy.PolicyWork;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Drives the adaptive policy by hand as the cache target would, through the core's contract checker
 * ({@link CheckedPolicy}), so every test also checks the policy contract.
 */
final class AdaptiveDriver {
    static final AdaptivePolicyFactory FACTORY = new AdaptivePolicyFactory();

    static CheckedPolicy adaptive(long cacheBlocks, long originBlocks) {
        PolicyGeometry g = PolicyGeometry.ofBlocks(cacheBlocks, originBlocks, 128);
        return new CheckedPolicy("adaptive", FACTORY.create(g, new SimClock()), g, FACTORY.hintSize());
    }

    /** A read as the target does it, with the migration worker run at once. */
    static long read(CheckedPolicy p, long oblock) {
        long r = p.lookup(oblock, Direction.READ, false);
        if (Lookup.workQueued(r)) {
            drain(p, false);
        }
        return r;
    }

    /** A whole-block write as the target does it. */
    static long write(CheckedPolicy p, long oblock) {
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

    static List<PolicyWork> drain(CheckedPolicy p, boolean idle) {
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

    static boolean cached(CheckedPolicy p, long oblock) {
        return Lookup.isHit(p.lookup(oblock, Direction.READ, false));
    }

    private AdaptiveDriver() {}
}
