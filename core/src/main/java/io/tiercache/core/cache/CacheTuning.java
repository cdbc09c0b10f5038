package io.tiercache.core.cache;

import java.time.Duration;

/**
 * The kernel's fixed timings and pool sizes, in one place so that tests may shorten them. Production
 * always uses {@link #KERNEL}.
 *
 * @param wakerPeriod the periodic waker: tick the policy, wake the migration worker, commit if
 *     anything changed (the kernel's {@code COMMIT_PERIOD}, 1 s)
 * @param idleWindow how long the device must have had no user I/O in flight to count as idle for
 *     background writeback (the kernel's {@code dm_iot_idle_for(..., HZ)}, 1 s)
 * @param migrationPool migrations in flight at most (the kernel's migration mempool, 128)
 */
public record CacheTuning(Duration wakerPeriod, Duration idleWindow, int migrationPool) {
    public static final CacheTuning KERNEL = new CacheTuning(Duration.ofSeconds(1), Duration.ofSeconds(1), 128);

    public CacheTuning {
        if (wakerPeriod.isNegative() || wakerPeriod.isZero() || idleWindow.isNegative() || migrationPool < 1) {
            throw new IllegalArgumentException("bad cache tuning " + wakerPeriod + " " + idleWindow + " " + migrationPool);
        }
    }
}
