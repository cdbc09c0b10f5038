package io.tiercache.core.cache;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * User I/O in flight and since when there has been none (the kernel's {@code dm_io_tracker}): the
 * device is idle once no request has been in flight for a while, which lets the policy write back.
 */
final class IoTracker {
    private final AtomicInteger inFlight = new AtomicInteger();
    private volatile long idleSince = System.nanoTime();

    void begin() {
        inFlight.incrementAndGet();
    }

    void end() {
        if (inFlight.decrementAndGet() == 0) {
            idleSince = System.nanoTime();
        }
    }

    boolean idleFor(long nanos) {
        return inFlight.get() == 0 && System.nanoTime() - idleSince >= nanos;
    }

    int inFlight() {
        return inFlight.get();
    }
}
