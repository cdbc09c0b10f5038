package io.tiercache.core.policy;

import io.tiercache.spi.policy.CachePolicy;
import io.tiercache.spi.policy.Direction;
import io.tiercache.spi.policy.Lookup;
import io.tiercache.spi.policy.PolicyGeometry;
import io.tiercache.spi.policy.PolicyWork;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * The core's side of the policy interface (the kernel's {@code dm-cache-policy-internal.h}): every
 * call into a policy goes through here. It supplies the defaults of optional methods and checks the
 * contract against its own record of each cache block ({@link ContractState}): no block in two
 * states, no promotion into a used block, no hit on a block the policy never mapped, residency
 * within the cache, no migrations when they are disallowed. The first violation, or any exception
 * from the policy, takes the policy out of service: every later call throws the same
 * {@link PolicyViolationException}, so the cache can fail safely instead of acting on a corrupt
 * decision. Mistakes of the caller (completing work that was never handed out, dirtying an unmapped
 * block) throw {@link IllegalStateException}/{@link IllegalArgumentException} and leave the policy
 * in service.
 *
 * <p>One lock serialises the calls, so the bookkeeping always matches the policy's answers; the
 * policies' own locks are then uncontended.
 */
public final class CheckedPolicy implements CachePolicy {
    private final String name;
    private final CachePolicy policy;
    private final int hintSize;
    private final ContractState state;
    private final ReentrantLock lock = new ReentrantLock();
    private volatile PolicyViolationException broken;

    public CheckedPolicy(String name, CachePolicy policy, PolicyGeometry geometry, int hintSize) {
        if (geometry.cacheBlocks() > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("too many cache blocks: " + geometry.cacheBlocks());
        }
        this.name = Objects.requireNonNull(name, "name");
        this.policy = Objects.requireNonNull(policy, "policy");
        this.hintSize = hintSize;
        this.state = new ContractState(name, (int) geometry.cacheBlocks());
    }

    /** The policy's real name. */
    public String name() {
        return name;
    }

    /** The violation that took the policy out of service, if any. */
    public Optional<PolicyViolationException> violation() {
        return Optional.ofNullable(broken);
    }

    private void enter() {
        lock.lock();
        if (broken != null) {
            lock.unlock();
            throw broken;
        }
    }

    private PolicyViolationException fail(PolicyViolationException e) {
        broken = e;
        return e;
    }

    /** Runs one call into the policy; its exceptions become a violation. */
    private <T> T call(String what, Supplier<T> body) {
        try {
            return body.get();
        } catch (RuntimeException e) {
            throw failed(what, e);
        }
    }

    private void run(String what, Runnable body) {
        call(what, () -> {
            body.run();
            return null;
        });
    }

    // The per-request methods below avoid lambdas: they must not allocate.

    @Override
    public long lookup(long oblock, Direction direction, boolean fastCopy) {
        enter();
        try {
            long r;
            try {
                r = policy.lookup(oblock, direction, fastCopy);
            } catch (RuntimeException e) {
                throw failed("lookup", e);
            }
            if (Lookup.isPromoteNow(r)) {
                throw fail(new PolicyViolationException("policy " + name + " returned work from lookup"));
            }
            return checked(oblock, r);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public long lookupWithWork(long oblock, Direction direction, boolean fastCopy) {
        enter();
        try {
            long r;
            try {
                r = policy.lookupWithWork(oblock, direction, fastCopy);
            } catch (RuntimeException e) {
                throw failed("lookupWithWork", e);
            }
            if (Lookup.isPromoteNow(r)) {
                PolicyWork work = PolicyWork.promote(oblock, Lookup.cblock(r));
                run("lookupWithWork", () -> state.issued(work));
                return r;
            }
            return checked(oblock, r);
        } finally {
            lock.unlock();
        }
    }

    private long checked(long oblock, long r) {
        try {
            if (Lookup.isHit(r)) {
                state.hit(oblock, r);
            } else if (r == Lookup.MISS || r == Lookup.MISS_WORK_QUEUED) {
                state.miss(oblock);
            } else {
                throw new PolicyViolationException("policy " + name + " returned " + r + " from a lookup");
            }
        } catch (PolicyViolationException e) {
            throw fail(e);
        }
        return r;
    }

    private PolicyViolationException failed(String what, RuntimeException e) {
        return fail(e instanceof PolicyViolationException v ? v
                : new PolicyViolationException("policy " + name + " failed in " + what + ": " + e, e));
    }

    @Override
    public Optional<PolicyWork> backgroundWork(boolean idle) {
        enter();
        try {
            Optional<PolicyWork> work = call("backgroundWork", () -> policy.backgroundWork(idle));
            if (work == null) {
                throw fail(new PolicyViolationException("policy " + name + " returned null from backgroundWork"));
            }
            work.ifPresent(w -> run("backgroundWork", () -> state.issued(w)));
            return work;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void completeBackgroundWork(PolicyWork work, boolean success) {
        enter();
        try {
            state.requireOutstanding(work);
            run("completeBackgroundWork", () -> policy.completeBackgroundWork(work, success));
            state.completed(work, success);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void setDirty(long cblock) {
        changeDirty(cblock, true);
    }

    @Override
    public void clearDirty(long cblock) {
        changeDirty(cblock, false);
    }

    private void changeDirty(long cblock, boolean dirty) {
        enter();
        try {
            int c = state.callerCblock(cblock);
            state.requireHeld(c, dirty ? "setDirty" : "clearDirty");
            try {
                if (dirty) {
                    policy.setDirty(c);
                } else {
                    policy.clearDirty(c);
                }
            } catch (RuntimeException e) {
                throw failed(dirty ? "setDirty" : "clearDirty", e);
            }
            state.dirty(c, dirty);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void loadMapping(long oblock, long cblock, boolean dirty, int hint, boolean hintValid) {
        enter();
        try {
            int c = state.callerCblock(cblock);
            state.requireLoadable(oblock, c);
            run("loadMapping", () -> policy.loadMapping(oblock, c, dirty, hint, hintValid));
            state.loaded(oblock, c, dirty);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public boolean invalidateMapping(long cblock) {
        enter();
        try {
            int c = state.callerCblock(cblock);
            state.requireNoWork(c);
            boolean mapped = call("invalidateMapping", () -> policy.invalidateMapping(c));
            run("invalidateMapping", () -> state.invalidated(c, mapped));
            return mapped;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public int hint(long cblock) {
        enter();
        try {
            int c = state.callerCblock(cblock);
            int h = call("hint", () -> policy.hint(c));
            if (hintSize == 0 && h != 0) {
                throw fail(new PolicyViolationException("policy " + name + " has no hints but returned " + h));
            }
            return h;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public long residency() {
        enter();
        try {
            long r = call("residency", policy::residency);
            run("residency", () -> state.residency(r));
            return r;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void tick(boolean canBlock) {
        enter();
        try {
            run("tick", () -> policy.tick(canBlock));
        } finally {
            lock.unlock();
        }
    }

    @Override
    public boolean setConfigValue(String key, String value) {
        enter();
        try {
            return call("setConfigValue", () -> policy.setConfigValue(key, value));
        } finally {
            lock.unlock();
        }
    }

    @Override
    public List<String> configValues() {
        enter();
        try {
            List<String> words = call("configValues", policy::configValues);
            if (words == null || words.stream().anyMatch(w -> w == null || w.isEmpty() || w.chars().anyMatch(
                    Character::isWhitespace))) {
                throw fail(new PolicyViolationException("policy " + name + " emitted bad config words " + words));
            }
            return List.copyOf(words);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void allowMigrations(boolean allow) {
        enter();
        try {
            run("allowMigrations", () -> policy.allowMigrations(allow));
            state.migrationsAllowed(allow);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public long memoryBytes() {
        enter();
        try {
            return call("memoryBytes", policy::memoryBytes);
        } finally {
            lock.unlock();
        }
    }

    /** The core's dirty bit for {@code cblock}, as told to the policy. */
    public boolean isDirty(long cblock) {
        lock.lock();
        try {
            return state.isDirty(state.callerCblock(cblock));
        } finally {
            lock.unlock();
        }
    }

    /** {@link #residency(long, byte[], int)}: the origin block is not in the cache. */
    public static final byte ORIGIN_ONLY = 0;
    /** {@link #residency(long, byte[], int)}: cached, and the origin holds the same data. */
    public static final byte CLEAN = 1;
    /** {@link #residency(long, byte[], int)}: cached, and newer than the origin's copy. */
    public static final byte DIRTY = 2;

    /**
     * Where each of {@code count} origin blocks from {@code first} lives, into {@code out}: for
     * reporting (NBD's {@code tiercache:cache} context). Read from this adapter's own record under
     * one lock; the policy is not called, so nothing counts as a hit and nothing gets promoted.
     */
    public void residency(long first, byte[] out, int count) {
        enter();
        try {
            for (int i = 0; i < count; i++) {
                int c = state.holding(first + i);
                out[i] = c < 0 ? ORIGIN_ONLY : state.isDirty(c) ? DIRTY : CLEAN;
            }
        } finally {
            lock.unlock();
        }
    }

    /** Dirty blocks, as told to the policy. */
    public int dirtyCount() {
        lock.lock();
        try {
            return state.dirtyCount();
        } finally {
            lock.unlock();
        }
    }

    /** What the checking itself costs in memory (one byte and an index entry per cblock). */
    public long checkerMemoryBytes() {
        return state.memoryBytes();
    }
}
