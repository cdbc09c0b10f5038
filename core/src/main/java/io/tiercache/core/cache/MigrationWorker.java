package io.tiercache.core.cache;

import io.tiercache.spi.policy.CachePolicy;
import io.tiercache.spi.policy.PolicyWork;
import java.io.IOException;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The target's worker thread (the kernel's workqueue): it commits when asked (periodic commits, a
 * request parked on a lock), and when woken asks the policy for background work until there is
 * none, starting each migration on its own thread, at most {@link CacheTuning#migrationPool} at
 * once.
 *
 * <p><b>The idle rule</b> (target-semantics §4.6): the policy is told the device is idle only if no
 * user I/O has been in flight for {@link CacheTuning#idleWindow} and
 * {@code (migrations in flight + 1) × block size <= migration_threshold}. That is all
 * {@code migration_threshold} does: with smq, idleness gates writebacks only, so a threshold of 0
 * keeps dirty blocks dirty while promotions go on. In passthrough the worker is never woken.
 */
final class MigrationWorker implements AutoCloseable {
    private final CachePolicy policy;
    private final BackgroundGate gate;
    private final Migrations migrations;
    private final Committer committer;
    private final IoTracker io;
    private final boolean passthrough;
    private final long blockSectors;
    private final long idleNanos;
    private final Semaphore pool;
    private final CacheLog log;
    private final MetadataModes modes;
    private final ExecutorService executor;
    private final Thread thread;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private boolean wakeRequested;
    private boolean commitRequested;
    private boolean paused = true;
    private boolean busy;
    private boolean stopped;
    private volatile long migrationThreshold;

    MigrationWorker(CachePolicy policy, BackgroundGate gate, Migrations migrations, Committer committer, IoTracker io,
            IoMode mode, long blockSectors, CacheTuning tuning, CacheLog log, MetadataModes modes) {
        this.policy = policy;
        this.gate = gate;
        this.migrations = migrations;
        this.committer = committer;
        this.io = io;
        this.passthrough = mode == IoMode.PASSTHROUGH;
        this.blockSectors = blockSectors;
        this.idleNanos = tuning.idleWindow().toNanos();
        this.pool = new Semaphore(tuning.migrationPool());
        this.log = log;
        this.modes = modes;
        this.executor = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("cache-mg-" + log.device() + "-", 0)
                .factory());
        this.thread = Thread.ofVirtual().name("cache-worker-" + log.device()).start(this::loop);
    }

    /** Migrations copying data now. */
    int migrationsInFlight() {
        return migrations.ioMigrations.get();
    }

    long migrationThreshold() {
        return migrationThreshold;
    }

    void migrationThreshold(long sectors) {
        migrationThreshold = sectors;
    }

    /** Asks for background work to be fetched from the policy (never in passthrough). */
    void wake() {
        if (!passthrough) {
            signal(true, false);
        }
    }

    /** Asks for a commit if anything changed. */
    void requestCommit() {
        signal(false, true);
    }

    private void signal(boolean wake, boolean commit) {
        lock.lock();
        try {
            wakeRequested |= wake;
            commitRequested |= commit;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Postsuspend: waits for the current round to finish; requests are ignored until {@link #unpause}. */
    void pause() {
        lock.lock();
        try {
            paused = true;
            wakeRequested = false;
            commitRequested = false;
            while (busy) {
                changed.awaitUninterruptibly();
            }
        } finally {
            lock.unlock();
        }
    }

    void unpause() {
        lock.lock();
        try {
            paused = false;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void loop() {
        for (;;) {
            boolean commit;
            boolean wake;
            lock.lock();
            try {
                while (!stopped && (paused || !wakeRequested && !commitRequested)) {
                    changed.awaitUninterruptibly();
                }
                if (stopped) {
                    return;
                }
                commit = commitRequested;
                wake = wakeRequested;
                commitRequested = wakeRequested = false;
                busy = true;
            } finally {
                lock.unlock();
            }
            try {
                round(commit, wake);
            } finally {
                lock.lock();
                try {
                    busy = false;
                    changed.signalAll();
                } finally {
                    lock.unlock();
                }
            }
        }
    }

    private void round(boolean commit, boolean wake) {
        try {
            if (commit) {
                committer.commitIfChanged();
            }
        } catch (IOException e) {
            // already handled: the table went read-only
        }
        try {
            if (wake) {
                issueAll();
            }
        } catch (RuntimeException e) {
            modes.policyFailed(e);
        }
    }

    /** The kernel's check_migrations: take work until the policy has none or work may not start. */
    private void issueAll() {
        for (;;) {
            Optional<PolicyWork> work = policy.backgroundWork(idle());
            if (work.isEmpty()) {
                return;
            }
            if (!start(work.get())) {
                return;
            }
        }
    }

    private boolean idle() {
        long volume = (migrations.ioMigrations.get() + 1L) * blockSectors;
        return io.idleFor(idleNanos) && volume <= migrationThreshold;
    }

    private boolean start(PolicyWork work) {
        if (!gate.tryBegin()) {
            policy.completeBackgroundWork(work, false);
            return false;
        }
        pool.acquireUninterruptibly();
        migrations.ioMigrations.incrementAndGet();
        executor.execute(() -> {
            try {
                migrations.background(work);
            } catch (RuntimeException e) {
                log.error("migration " + work + " failed: " + e);
                modes.policyFailed(e);
            } finally {
                migrations.ioMigrations.decrementAndGet();
                pool.release();
                gate.end();
                wake();
            }
        });
        return true;
    }

    /** Stops the thread (dtr); migrations have ended already (postsuspend or never allowed). */
    @Override
    public void close() {
        lock.lock();
        try {
            stopped = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        executor.close();
    }
}
