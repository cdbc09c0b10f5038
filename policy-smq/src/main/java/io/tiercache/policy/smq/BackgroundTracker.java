package io.tiercache.policy.smq;

import io.tiercache.spi.policy.PolicyWork;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * The work smq has asked for and not yet seen completed (the kernel's background tracker): at most
 * one item per origin block, at most {@link #MAX_PENDING} items in all. Queued items are issued
 * newest first; work handed to a caller for immediate execution counts as issued at once. Not
 * thread-safe: the policy's lock covers it.
 */
final class BackgroundTracker {
    /** Pending items (queued and issued) beyond which new work is refused. */
    static final int MAX_PENDING = 4096;

    private final ArrayDeque<PolicyWork> queued = new ArrayDeque<>();
    private final Map<Long, PolicyWork> pending = new HashMap<>();
    private int demotions;

    /**
     * Records {@code work}; false if the tracker is full or its origin block already has work.
     *
     * @param issueNow the caller performs it at once, so it is never issued from the queue
     */
    boolean queue(PolicyWork work, boolean issueNow) {
        if (pending.size() >= MAX_PENDING || pending.putIfAbsent(work.oblock().value(), work) != null) {
            return false;
        }
        if (!issueNow) {
            queued.addFirst(work);
        }
        if (work.op() == PolicyWork.Op.DEMOTE) {
            demotions++;
        }
        return true;
    }

    /** The most recently queued item not yet issued, or null. */
    PolicyWork issue() {
        return queued.pollFirst();
    }

    /** Forgets completed {@code work}, which must be pending. */
    void complete(PolicyWork work) {
        PolicyWork known = pending.get(work.oblock().value());
        if (!work.equals(known)) {
            throw new IllegalArgumentException("completing " + work + ", which is not pending (pending: " + known + ")");
        }
        pending.remove(work.oblock().value());
        if (work.op() == PolicyWork.Op.DEMOTE) {
            demotions--;
        }
    }

    /**
     * Withdraws not-yet-issued {@code work} (its block is being invalidated).
     *
     * @return false if it was already issued, so the caller still owns it
     */
    boolean withdraw(PolicyWork work) {
        if (!queued.remove(work)) {
            return false;
        }
        complete(work);
        return true;
    }

    boolean hasWork(long oblock) {
        return pending.containsKey(oblock);
    }

    /** The pending work on {@code oblock}, or null. */
    PolicyWork pendingFor(long oblock) {
        return pending.get(oblock);
    }

    /** The pending work on {@code cblock}, or null (a scan: for the rare invalidation path). */
    PolicyWork pendingAt(long cblock) {
        for (PolicyWork w : pending.values()) {
            if (w.cblock().value() == cblock) {
                return w;
            }
        }
        return null;
    }

    int pendingDemotions() {
        return demotions;
    }

    int pending() {
        return pending.size();
    }
}
