package io.tiercache.core.cache;

import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Per-block locks after the kernel's bio prison v2 (target-semantics §4.2). Every data request
 * holds a <em>shared</em> lock on its origin block while it runs: writes ask at level 0 ("no
 * writes"), reads at level 1 ("no reads and no writes"). Migrations and invalidations take the one
 * <em>exclusive</em> lock of a block: at level 0 it parks writers only, at level 1 readers too. A
 * shared request is parked while an exclusive lock of its level or above is held; taking the
 * exclusive lock never waits (EBUSY if another holds it), but the holder then <em>quiesces</em>:
 * waits until the shared holders that got in before it have finished.
 *
 * <p>I/O here is synchronous, so a parked request is simply a waiting thread; when the exclusive
 * lock goes, it retries from the top of the map path (it may then hit or miss differently). Only the
 * one block's cell is ever waited on: a slow request on block A never holds up block B. Cells live in
 * striped lists and are pooled, so locking allocates nothing once warm.
 */
final class BioPrison {
    static final int WRITE_LEVEL = 0;
    static final int READ_WRITE_LEVEL = 1;
    private static final int NO_EXCLUSIVE = -1;
    private static final int STRIPES = 256;

    private final Stripe[] stripes = new Stripe[STRIPES];
    private final Runnable onPark;

    /** @param onPark run when a request has to wait for an exclusive holder (the target schedules a commit) */
    BioPrison(Runnable onPark) {
        this.onPark = onPark;
        for (int i = 0; i < STRIPES; i++) {
            stripes[i] = new Stripe();
        }
    }

    private static final class Cell {
        long oblock;
        int shared;
        int exclusive = NO_EXCLUSIVE;
        Cell next;
    }

    private static final class Stripe {
        final ReentrantLock lock = new ReentrantLock();
        final Condition changed = lock.newCondition();
        Cell active;
        Cell free;

        Cell find(long oblock) {
            for (Cell c = active; c != null; c = c.next) {
                if (c.oblock == oblock) {
                    return c;
                }
            }
            return null;
        }

        Cell findOrCreate(long oblock) {
            Cell c = find(oblock);
            if (c != null) {
                return c;
            }
            c = free != null ? free : new Cell();
            free = c == free ? c.next : free;
            c.oblock = oblock;
            c.shared = 0;
            c.exclusive = NO_EXCLUSIVE;
            c.next = active;
            active = c;
            return c;
        }

        /** Returns an unused cell to the pool and wakes every waiter of the stripe. */
        void released(Cell c) {
            if (c.shared == 0 && c.exclusive == NO_EXCLUSIVE) {
                Cell prev = null;
                for (Cell x = active; x != null; prev = x, x = x.next) {
                    if (x == c) {
                        if (prev == null) {
                            active = c.next;
                        } else {
                            prev.next = c.next;
                        }
                        c.next = free;
                        free = c;
                        break;
                    }
                }
            }
            changed.signalAll();
        }
    }

    private Stripe stripe(long oblock) {
        long h = oblock * 0x9E3779B97F4A7C15L;
        return stripes[(int) (h >>> 56) & (STRIPES - 1)];
    }

    /** Takes a shared lock at {@code level}, waiting while an exclusive lock of that level or above is held. */
    void lockShared(long oblock, int level) {
        Stripe s = stripe(oblock);
        boolean parked = false;
        s.lock.lock();
        try {
            for (;;) {
                Cell c = s.findOrCreate(oblock);
                if (c.exclusive == NO_EXCLUSIVE || level > c.exclusive) {
                    c.shared++;
                    return;
                }
                if (!parked) {
                    parked = true;
                    onPark.run();
                }
                s.changed.awaitUninterruptibly();
            }
        } finally {
            s.lock.unlock();
        }
    }

    void unlockShared(long oblock) {
        Stripe s = stripe(oblock);
        s.lock.lock();
        try {
            Cell c = s.find(oblock);
            if (c == null || c.shared == 0) {
                throw new IllegalStateException("no shared lock held on block " + oblock);
            }
            c.shared--;
            s.released(c);
        } finally {
            s.lock.unlock();
        }
    }

    /** Takes the exclusive lock at {@code level}; false (the kernel's EBUSY) if another holds it. */
    boolean tryLockExclusive(long oblock, int level) {
        Stripe s = stripe(oblock);
        s.lock.lock();
        try {
            Cell c = s.findOrCreate(oblock);
            if (c.exclusive != NO_EXCLUSIVE) {
                return false;
            }
            c.exclusive = level;
            return true;
        } finally {
            s.lock.unlock();
        }
    }

    /** Raises a held exclusive lock (level 0 to 1); the caller quiesces afterwards. */
    void raiseExclusive(long oblock, int level) {
        Stripe s = stripe(oblock);
        s.lock.lock();
        try {
            Cell c = exclusiveCell(s, oblock);
            c.exclusive = Math.max(level, c.exclusive);
        } finally {
            s.lock.unlock();
        }
    }

    /** Waits, holding the exclusive lock, until no shared holder is left. */
    void quiesce(long oblock) {
        Stripe s = stripe(oblock);
        s.lock.lock();
        try {
            Cell c = exclusiveCell(s, oblock);
            while (c.shared > 0) {
                s.changed.awaitUninterruptibly();
            }
        } finally {
            s.lock.unlock();
        }
    }

    /** Drops the exclusive lock; parked requests retry. */
    void unlockExclusive(long oblock) {
        Stripe s = stripe(oblock);
        s.lock.lock();
        try {
            Cell c = exclusiveCell(s, oblock);
            c.exclusive = NO_EXCLUSIVE;
            s.released(c);
        } finally {
            s.lock.unlock();
        }
    }

    /** Waits until nobody holds the exclusive lock of {@code oblock} (a re-queued request retries then). */
    void awaitNoExclusive(long oblock) {
        Stripe s = stripe(oblock);
        s.lock.lock();
        try {
            for (Cell c = s.find(oblock); c != null && c.exclusive != NO_EXCLUSIVE; c = s.find(oblock)) {
                s.changed.awaitUninterruptibly();
            }
        } finally {
            s.lock.unlock();
        }
    }

    private static Cell exclusiveCell(Stripe s, long oblock) {
        Cell c = s.find(oblock);
        if (c == null || c.exclusive == NO_EXCLUSIVE) {
            throw new IllegalStateException("no exclusive lock held on block " + oblock);
        }
        return c;
    }
}
