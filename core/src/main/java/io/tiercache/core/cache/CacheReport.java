package io.tiercache.core.cache;

import io.tiercache.core.policy.CheckedPolicy;
import io.tiercache.spi.frontend.BlockStatusContext;
import io.tiercache.spi.frontend.ExtentSink;

/**
 * Tells a client where its data lives (NBD's {@code tiercache:cache} meta context): each range is
 * cached and clean, cached and dirty, or on the origin only. dm-cache has no such query; the
 * answer comes from the mapping record the core keeps beside the policy, so asking disturbs
 * nothing the policy decides on. Extents are whole cache blocks clipped to the question; the
 * partial tail block is never cached.
 */
final class CacheReport {
    /** Blocks looked up under one lock: short holds, so the I/O path is not kept waiting. */
    private static final int BATCH = 1024;

    /** Blocks described per question at most; a client asks again for the rest (the protocol allows it). */
    static final long MAX_BLOCKS = 1L << 20;

    private final CacheGeometry geometry;
    private final CheckedPolicy policy;

    CacheReport(CacheGeometry geometry, CheckedPolicy policy) {
        this.geometry = geometry;
        this.policy = policy;
    }

    /** Reports {@code [offset, offset + length)} (bytes from the device's start) to {@code sink}. */
    void report(long offset, long length, ExtentSink sink) {
        if (length <= 0) {
            return; // nothing to describe
        }
        long blockBytes = geometry.blockBytes();
        long end = offset + length;
        long first = offset / blockBytes;
        long last = Math.min((end - 1) / blockBytes, first + MAX_BLOCKS - 1);
        byte[] states = new byte[(int) Math.min(BATCH, last - first + 1)];
        long runStart = offset;
        int runFlags = -1;
        for (long b = first; b <= last; b += states.length) {
            int n = (int) Math.min(states.length, last - b + 1);
            policy.residency(b, states, n);
            for (int i = 0; i < n; i++) {
                int flags = flags(states[i]);
                if (flags != runFlags) {
                    long at = Math.max(offset, (b + i) * blockBytes);
                    if (runFlags >= 0 && !sink.extent(at - runStart, runFlags)) {
                        return;
                    }
                    runStart = at;
                    runFlags = flags;
                }
            }
        }
        sink.extent(Math.min(end, (last + 1) * blockBytes) - runStart, runFlags);
    }

    private static int flags(byte state) {
        return switch (state) {
            case CheckedPolicy.CLEAN -> BlockStatusContext.CACHED;
            case CheckedPolicy.DIRTY -> BlockStatusContext.CACHED | BlockStatusContext.DIRTY;
            default -> 0;
        };
    }
}
