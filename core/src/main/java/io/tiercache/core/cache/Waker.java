package io.tiercache.core.cache;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The periodic waker (the kernel's {@code do_waker}): from resume until postsuspend, once a period,
 * tick the policy, wake the migration worker and ask for a commit (which does nothing if nothing
 * changed, so an idle cache does no I/O at all). Runs on a scheduler shared by all cache targets;
 * the work it does must not block.
 */
final class Waker {
    private final ScheduledExecutorService scheduler;
    private final Duration period;
    private final Runnable work;
    private ScheduledFuture<?> future;
    private boolean running;

    Waker(ScheduledExecutorService scheduler, Duration period, Runnable work) {
        this.scheduler = scheduler;
        this.period = period;
        this.work = work;
    }

    /** Runs the work now and then every period. */
    synchronized void start() {
        running = true;
        future = scheduler.scheduleAtFixedRate(this::fire, 0, period.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** After this returns, the work has stopped and will not run again until {@link #start}. */
    synchronized void stop() {
        running = false;
        if (future != null) {
            future.cancel(false);
            future = null;
        }
    }

    private synchronized void fire() {
        if (running) {
            work.run();
        }
    }
}
