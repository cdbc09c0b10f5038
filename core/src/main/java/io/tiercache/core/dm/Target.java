package io.tiercache.core.dm;

import io.tiercache.spi.metrics.MetricSink;
import io.tiercache.spi.block.Errno;
import io.tiercache.spi.frontend.BlockStatusContext;
import io.tiercache.spi.frontend.ExtentSink;
import io.tiercache.spi.frontend.FileSpan;
import java.io.IOException;
import java.util.List;

/**
 * One constructed target of a table: the object the kernel's {@code struct dm_target} points to,
 * with the hooks of {@code struct target_type}. The constructor (ctr) is
 * {@link TargetType#construct}; the destructor is {@link #dtr()}.
 *
 * <p>{@link #map} is synchronous: it returns when the request has completed, or throws the error
 * it completed with. It runs on I/O threads, many at once, never while the device is suspended.
 * The lifecycle hooks run one at a time, from the control path.
 */
public interface Target {
    /** Performs the request; offsets are relative to this target's start. */
    void map(Bio bio) throws IOException;

    /**
     * The state of {@code [offset, offset + length)} (relative to this target) for one block status
     * context, as consecutive extents (see {@code Export.blockStatus}): a cache target reports which
     * blocks are cached and dirty. Runs on I/O threads with the request in flight. Default: one
     * extent of state 0 (allocated, contents unknown; not cached).
     */
    default void blockStatus(BlockStatusContext context, long offset, long length, ExtentSink sink)
            throws IOException {
        sink.extent(length, 0);
    }

    /** Whether {@link #blockStatus} may report zeroes or holes ({@code base:allocation}); see {@code Export}. */
    default boolean reportsZeroes() {
        return false;
    }

    /** A hint that the range will be read soon (NBD's CMD_CACHE): a cache target promotes it. */
    default void prefetch(long offset, long length) throws IOException {}

    /**
     * Where {@code [offset, offset + length)} (relative to this target) lies in a file as it is,
     * for zero-copy reads (dm's {@code direct_access}); null when it does not. Called with the
     * request counted in flight, which keeps the span valid until the request ends.
     */
    default FileSpan directAccess(long offset, long length) {
        return null;
    }

    /** Before I/O is stopped for a suspend. */
    default void presuspend() {}

    /** After I/O has stopped and drained: write out state. */
    default void postsuspend() {}

    /** Before I/O restarts; may refuse, and the device then stays suspended. */
    default void preresume() throws DmException {}

    /** After a successful preresume, just before I/O restarts. */
    default void resume() {}

    /** The target's part of the status (INFO) line, after {@code <start> <length> <type>}. */
    default String status() {
        return "";
    }

    /**
     * Reports the target's own metrics (a cache target: hits, misses, migrations, dirty blocks)
     * into {@code sink}, which already carries the device's labels. Called from a scrape with no
     * lock held and possibly while the table is being replaced or destroyed, so it reads only
     * in-memory counters, does no I/O and does not throw. Default: nothing.
     */
    default void metrics(MetricSink sink) {}

    /** Handles {@code message NAME SECTOR WORDS...}; returns text to print, usually empty. */
    default String message(List<String> words) throws DmException {
        throw new DmException(Errno.EINVAL, "Target does not support messages");
    }

    /** Releases everything the target holds. Devices it opened are closed by the table afterwards. */
    default void dtr() {}
}
