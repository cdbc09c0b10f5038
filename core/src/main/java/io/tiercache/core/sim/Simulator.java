package io.tiercache.core.sim;

import io.tiercache.core.policy.CheckedPolicy;
import io.tiercache.core.policy.PolicyException;
import io.tiercache.core.policy.PolicyType;
import io.tiercache.spi.policy.Direction;
import io.tiercache.spi.policy.Lookup;
import io.tiercache.spi.policy.PolicyGeometry;
import io.tiercache.spi.policy.PolicyWork;
import java.util.List;
import java.util.Optional;

/**
 * Replays a trace through a policy the way the cache target (writeback mode) drives it:
 * <ul>
 *   <li>a read is a {@code lookup}; a write overwrites a whole block, so it is a
 *       {@code lookupWithWork} with {@code fastCopy} (an overwrite promotion leaves the block
 *       dirty, data never read from the origin); a write hit dirties the block;
 *   <li>whenever a lookup reports queued work, and at every tick, the migration worker runs: it takes
 *       work until the policy has none and completes each piece at once (copies are instantaneous
 *       in this model, so every promotion is done before the next access it affects);
 *   <li>completions notify dirtiness as the target does: a promotion then {@code clearDirty} (or
 *       {@code setDirty} for an overwrite); a demotion or writeback {@code clearDirty} first;
 *   <li>as the traces' cache model has it, a write miss whose block is promoted within the same
 *       access leaves the block dirty, also when the promotion was queued behind a demotion (the
 *       target would have sent that write to the origin and copied the block clean; the model
 *       counts the copy as instantaneous, so the write lands in the cache);
 *   <li>the device is never idle during a replay.
 * </ul>
 * The policy runs behind the {@link CheckedPolicy} adapter, so a broken policy stops the replay.
 */
public final class Simulator {
    /** More consecutive work items than this from one wake-up means the policy is looping. */
    private static final int MAX_WORK_PER_WAKEUP = 1 << 24;

    private final CheckedPolicy policy;
    private final SimClock clock;
    private final SimOptions options;
    private long hits;
    private long reads;
    private long writes;
    private long promotions;
    private long demotions;
    private long writebacks;
    private long ticks;
    /** The block the current access writes, or -1: its promotion leaves it dirty. */
    private long writing = -1;

    private Simulator(CheckedPolicy policy, SimClock clock, SimOptions options) {
        this.policy = policy;
        this.clock = clock;
        this.options = options;
    }

    /** Creates the policy with {@code args} for {@code options} and replays {@code trace} through it. */
    public static SimResult run(PolicyType type, List<String> args, Trace trace, SimOptions options)
            throws PolicyException {
        if (trace.maxBlock() >= options.originBlocks()) {
            throw new IllegalArgumentException("trace " + trace.name() + " reaches block " + trace.maxBlock()
                    + ", beyond an origin of " + options.originBlocks() + " blocks");
        }
        SimClock clock = new SimClock();
        PolicyGeometry geometry = PolicyGeometry.ofBlocks(options.cacheBlocks(), options.originBlocks(),
                options.blockSectors());
        CheckedPolicy policy = type.create(geometry, clock, args);
        Simulator sim = new Simulator(policy, clock, options);
        long start = System.nanoTime();
        sim.replay(trace);
        long elapsed = System.nanoTime() - start;
        return new SimResult(type.name(), trace.name(), options.cacheBlocks(), options.originBlocks(), trace.size(),
                sim.reads, sim.writes, sim.hits, sim.promotions, sim.demotions, sim.writebacks, policy.dirtyCount(),
                policy.residency(), sim.ticks, policy.memoryBytes(), elapsed);
    }

    private void replay(Trace trace) {
        long ticksEvery = options.ticksEvery();
        double nanosPerAccess = 1e9 / options.accessesPerSecond();
        for (int i = 0; i < trace.size(); i++) {
            clock.set((long) (i * nanosPerAccess));
            if (ticksEvery > 0 && i > 0 && i % ticksEvery == 0) {
                policy.tick(true);
                ticks++;
                runWorker();
            }
            access(trace.block(i), trace.isWrite(i));
        }
    }

    private void access(long oblock, boolean write) {
        long r;
        if (write) {
            writes++;
            writing = oblock;
            r = policy.lookupWithWork(oblock, Direction.WRITE, true);
        } else {
            reads++;
            r = policy.lookup(oblock, Direction.READ, false);
        }
        if (Lookup.isHit(r)) {
            hits++;
            if (write && !policy.isDirty(r)) {
                policy.setDirty(r);
            }
        } else if (Lookup.isPromoteNow(r)) {
            complete(PolicyWork.promote(oblock, Lookup.cblock(r)), true);
            runWorker(); // a finished migration wakes the worker
        } else if (Lookup.workQueued(r)) {
            runWorker();
        }
        writing = -1;
    }

    private void runWorker() {
        for (int n = 0; n < MAX_WORK_PER_WAKEUP; n++) {
            Optional<PolicyWork> work = policy.backgroundWork(false);
            if (work.isEmpty()) {
                return;
            }
            complete(work.get(), false);
        }
        throw new IllegalStateException("policy " + policy.name() + " handed out " + MAX_WORK_PER_WAKEUP
                + " pieces of work in one go");
    }

    /** Completes {@code work} successfully, with the dirty-state calls of the target's completion. */
    private void complete(PolicyWork work, boolean overwrite) {
        long c = work.cblock().value();
        switch (work.op()) {
            case PROMOTE -> {
                policy.completeBackgroundWork(work, true);
                promotions++;
                if (overwrite || work.oblock().value() == writing) {
                    policy.setDirty(c);
                } else {
                    policy.clearDirty(c);
                }
            }
            case DEMOTE -> {
                if (policy.isDirty(c)) {
                    writebacks++;
                }
                policy.clearDirty(c);
                policy.completeBackgroundWork(work, true);
                demotions++;
            }
            case WRITEBACK -> {
                writebacks++;
                policy.clearDirty(c);
                policy.completeBackgroundWork(work, true);
            }
        }
    }
}
