package io.tiercache.policy;

import io.tiercache.core.policy.CheckedPolicy;
import io.tiercache.spi.policy.Direction;
import io.tiercache.spi.policy.Lookup;
import io.tiercache.spi.policy.PolicyWork;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Drives a policy by hand as the cache target does, through the core's contract checker
 * ({@link CheckedPolicy}), for the tests of every policy in this plugin: one access at a time, the
 * migration worker run when the test says so.
 */
public final class PolicyDriver {
    private PolicyDriver() {}

    /**
     * One access: a read looks up; a whole-block write looks up with work, dirties a hit and
     * completes a promote-now at once (an overwrite needs no copy), leaving it dirty. Queued work is
     * left for {@link #drain}. Returns the lookup's result.
     */
    public static long access(CheckedPolicy p, long oblock, boolean write) {
        long r = write ? p.lookupWithWork(oblock, Direction.WRITE, true) : p.lookup(oblock, Direction.READ, false);
        if (Lookup.isHit(r) && write) {
            p.setDirty(r);
        } else if (Lookup.isPromoteNow(r)) {
            p.completeBackgroundWork(PolicyWork.promote(oblock, Lookup.cblock(r)), true);
            p.setDirty(Lookup.cblock(r));
        }
        return r;
    }

    /** Runs the migration worker until the policy has no more work: every piece completes successfully. */
    public static List<PolicyWork> drain(CheckedPolicy p, boolean idle) {
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
}
