package io.tiercache.core.policy;

import io.tiercache.spi.policy.PolicyWork;

/**
 * The checking adapter's own view of every cache block, kept from what the policy answered and
 * what the core told it: free, reserved for a promotion, mapped, or mapped with a demotion or
 * writeback in flight, plus the core's dirty bit. One byte per cblock and a {@link BlockIndex}.
 * Not thread-safe: {@link CheckedPolicy} holds its lock around every call.
 *
 * <p>Two kinds of failure: the policy's (a {@link PolicyViolationException}) and the caller's (an
 * {@link IllegalStateException} or {@link IllegalArgumentException}, a bug in the core).
 */
final class ContractState {
    private static final byte FREE = 0;
    private static final byte RESERVED = 1;
    private static final byte MAPPED = 2;
    private static final byte DEMOTING = 3;
    private static final byte WRITING_BACK = 4;
    private static final byte STATE_MASK = 7;
    private static final byte DIRTY = 8;
    private static final String[] NAMES = {"free", "reserved for a promotion", "mapped", "being demoted",
        "being written back"};

    private final String policy;
    private final byte[] state;
    private final BlockIndex index;
    private int inUse;
    private int dirty;
    private boolean migrationsAllowed = true;

    ContractState(String policy, int cacheBlocks) {
        this.policy = policy;
        this.state = new byte[cacheBlocks];
        this.index = new BlockIndex(cacheBlocks);
    }

    private int kind(int c) {
        return state[c] & STATE_MASK;
    }

    private void set(int c, byte kind) {
        state[c] = (byte) ((state[c] & DIRTY) | kind);
    }

    private boolean holds(int c) {
        int k = kind(c);
        return k == MAPPED || k == DEMOTING || k == WRITING_BACK;
    }

    private PolicyViolationException violation(String what) {
        return new PolicyViolationException("policy " + policy + " " + what);
    }

    /** The caller's cblock argument as an index. */
    int callerCblock(long cblock) {
        if (cblock < 0 || cblock >= state.length) {
            throw new IllegalArgumentException("cblock " + cblock + " outside 0.." + (state.length - 1));
        }
        return (int) cblock;
    }

    private int policyCblock(long cblock, String where) {
        if (cblock < 0 || cblock >= state.length) {
            throw violation(where + " named cblock " + cblock + ", outside 0.." + (state.length - 1));
        }
        return (int) cblock;
    }

    void hit(long oblock, long cblock) {
        int c = policyCblock(cblock, "a hit");
        if (!holds(c) || index.keyAt(c) != oblock) {
            throw violation("reported a hit on " + oblock + " at cblock " + c + ", which is " + describe(c));
        }
    }

    void miss(long oblock) {
        int c = index.get(oblock);
        if (c >= 0 && holds(c)) {
            throw violation("reported a miss on " + oblock + ", which it mapped at cblock " + c);
        }
    }

    private String describe(int c) {
        return holds(c) || kind(c) == RESERVED ? NAMES[kind(c)] + " for " + index.keyAt(c) : NAMES[kind(c)];
    }

    /** The policy handed out {@code work} (from the background queue or for immediate execution). */
    void issued(PolicyWork work) {
        long o = work.oblock().value();
        int c = policyCblock(work.cblock().value(), "work " + work);
        switch (work.op()) {
            case PROMOTE -> {
                requireMigrations(work);
                if (kind(c) != FREE) {
                    throw violation("promotes into cblock " + c + ", which is " + describe(c) + ": " + work);
                }
                int at = index.get(o);
                if (at >= 0) {
                    throw violation("promotes " + o + ", which is already " + describe(at) + " at cblock " + at);
                }
                index.put(o, c);
                state[c] = RESERVED;
                inUse++;
            }
            case DEMOTE -> {
                requireMigrations(work);
                requireMapped(work, c);
                set(c, DEMOTING);
            }
            case WRITEBACK -> {
                requireMapped(work, c);
                if ((state[c] & DIRTY) == 0) {
                    throw violation("writes back a clean block: " + work);
                }
                set(c, WRITING_BACK);
            }
        }
    }

    private void requireMigrations(PolicyWork work) {
        if (!migrationsAllowed) {
            throw violation("asked for " + work + " although migrations are not allowed");
        }
    }

    private void requireMapped(PolicyWork work, int c) {
        if (kind(c) != MAPPED || index.keyAt(c) != work.oblock().value()) {
            throw violation("asked for " + work + " but cblock " + c + " is " + describe(c));
        }
    }

    /** The caller completes {@code work}, which must be outstanding. */
    void requireOutstanding(PolicyWork work) {
        int c = callerCblock(work.cblock().value());
        int expected = switch (work.op()) {
            case PROMOTE -> RESERVED;
            case DEMOTE -> DEMOTING;
            case WRITEBACK -> WRITING_BACK;
        };
        if (kind(c) != expected || index.keyAt(c) != work.oblock().value()) {
            throw new IllegalArgumentException("completing " + work + ", which is not outstanding (cblock " + c
                    + " is " + describe(c) + ")");
        }
    }

    void completed(PolicyWork work, boolean success) {
        int c = (int) work.cblock().value();
        switch (work.op()) {
            case PROMOTE -> {
                if (success) {
                    set(c, MAPPED);
                } else {
                    release(c);
                }
            }
            case DEMOTE -> {
                if (success) {
                    release(c);
                } else {
                    set(c, MAPPED);
                }
            }
            case WRITEBACK -> set(c, MAPPED);
        }
    }

    private void release(int c) {
        index.remove(c);
        dirty(c, false);
        state[c] = FREE;
        inUse--;
    }

    /** The caller changes dirtiness; the block must be mapped (possibly with work in flight). */
    void requireHeld(int c, String what) {
        if (!holds(c)) {
            throw new IllegalStateException(what + " on cblock " + c + ", which is " + describe(c));
        }
    }

    void dirty(int c, boolean on) {
        boolean was = (state[c] & DIRTY) != 0;
        if (on != was) {
            state[c] = (byte) (on ? state[c] | DIRTY : state[c] & ~DIRTY);
            dirty += on ? 1 : -1;
        }
    }

    /** The cblock holding {@code oblock} (mapped, or being demoted or written back), or -1. */
    int holding(long oblock) {
        int c = index.get(oblock);
        return c >= 0 && holds(c) ? c : -1;
    }

    boolean isDirty(int c) {
        return (state[c] & DIRTY) != 0;
    }

    int dirtyCount() {
        return dirty;
    }

    void requireLoadable(long oblock, int c) {
        if (kind(c) != FREE) {
            throw new IllegalStateException("loading " + oblock + " into cblock " + c + ", which is " + describe(c));
        }
        int at = index.get(oblock);
        if (at >= 0) {
            throw new IllegalStateException("loading " + oblock + " twice (cblocks " + at + " and " + c + ")");
        }
    }

    void loaded(long oblock, int c, boolean isDirty) {
        index.put(oblock, c);
        state[c] = MAPPED;
        dirty(c, isDirty);
        inUse++;
    }

    void requireNoWork(int c) {
        int k = kind(c);
        if (k == RESERVED || k == DEMOTING || k == WRITING_BACK) {
            throw new IllegalStateException("invalidating cblock " + c + ", which is " + describe(c));
        }
    }

    void invalidated(int c, boolean policySaysMapped) {
        boolean mapped = kind(c) == MAPPED;
        if (policySaysMapped != mapped) {
            throw violation((policySaysMapped ? "invalidated" : "found nothing to invalidate at") + " cblock " + c
                    + ", which is " + describe(c));
        }
        if (mapped) {
            release(c);
        }
    }

    void residency(long r) {
        if (r < inUse || r > state.length) {
            throw violation("reports a residency of " + r + " with " + inUse + " blocks in use of " + state.length);
        }
    }

    void migrationsAllowed(boolean allow) {
        migrationsAllowed = allow;
    }

    long memoryBytes() {
        return state.length + index.memoryBytes();
    }
}
