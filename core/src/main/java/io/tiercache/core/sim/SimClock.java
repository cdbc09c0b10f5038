package io.tiercache.core.sim;

import java.time.Instant;
import java.time.InstantSource;

/**
 * Simulated wall time for a replay: it starts at the epoch and the replay moves it forward as
 * accesses go by, so policy periods (seconds in the kernel) elapse at the modelled request rate,
 * whatever the speed of the machine running the simulation.
 */
public final class SimClock implements InstantSource {
    private long nanos;

    /** Sets the time; it never goes back. */
    public void set(long nanosSinceStart) {
        if (nanosSinceStart < nanos) {
            throw new IllegalArgumentException("simulated time goes back: " + nanosSinceStart + " < " + nanos);
        }
        nanos = nanosSinceStart;
    }

    public long nanos() {
        return nanos;
    }

    @Override
    public long millis() {
        return nanos / 1_000_000;
    }

    @Override
    public Instant instant() {
        return Instant.ofEpochSecond(0, nanos);
    }
}
