package io.tiercache.core.cache;

/**
 * Whether migrations and invalidations may start (the kernel's {@code background_work_lock}).
 * Forbidden from construction until resume and again from postsuspend, which waits here for the
 * running ones to finish. Work begins on one thread and may end on another, so this is a counter,
 * not a read-write lock.
 */
final class BackgroundGate {
    private int active;
    private boolean prevented = true;

    /** True (and counted) if background work may start now. */
    synchronized boolean tryBegin() {
        if (prevented) {
            return false;
        }
        active++;
        return true;
    }

    synchronized void end() {
        if (--active == 0) {
            notifyAll();
        }
    }

    /** Forbids new work and waits until the running work has ended. */
    synchronized void prevent() {
        prevented = true;
        boolean interrupted = false;
        while (active > 0) {
            try {
                wait();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    synchronized void allow() {
        prevented = false;
    }

    synchronized boolean allowed() {
        return !prevented;
    }
}
