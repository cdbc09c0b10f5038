package io.tiercache.spi.frontend;

import io.tiercache.spi.block.BlockIo;
import java.io.IOException;
import java.util.Optional;

/**
 * An open device. I/O to it waits while the device is suspended, as device-mapper queues I/O, and
 * resumes against whatever table is live then. Close it when the client goes away.
 *
 * <p>Beyond {@link BlockIo}, an export can answer a few optional queries, each with a default that
 * is always correct, so a device only overrides what it knows better (nbdkit's {@code can_*}
 * callbacks follow the same idea). Like the I/O calls they may block, and are never made on a
 * network event loop. Ranges passed to them lie inside {@link #size()}.
 */
public interface Export extends BlockIo, AutoCloseable {
    String name();

    boolean readOnly();

    /**
     * Whether a {@link #flush()} through any handle of this device makes the writes completed
     * through every other handle durable too (NBD's {@code CAN_MULTI_CONN}). Default: false.
     */
    default boolean multiConn() {
        return false;
    }

    /**
     * Reports the state of {@code [offset, offset + length)} for one context as consecutive extents
     * from {@code offset}, at least one, stopping early when the sink returns false. Extents may
     * end short of the range (the client asks again for the rest) or run past it (the caller clips
     * them). Flag bits are defined in {@link BlockStatusContext}.
     *
     * <p>Default: one extent of state 0 — "allocated, contents unknown" for
     * {@link BlockStatusContext#ALLOCATION}, "not cached" (not a cache device) for
     * {@link BlockStatusContext#CACHE}.
     */
    default void blockStatus(BlockStatusContext context, long offset, long length, ExtentSink sink)
            throws IOException {
        sink.extent(length, 0);
    }

    /**
     * Whether {@link #blockStatus} may ever report {@link BlockStatusContext#ZERO} or
     * {@link BlockStatusContext#HOLE} here. False lets a frontend skip asking before each read
     * (where it would only look for zeroes to send as holes). May change when the export's device
     * gets a new table; a stale answer only costs a needless question or a hole sent as data.
     * Default: true.
     */
    default boolean reportsZeroes() {
        return true;
    }

    /**
     * The files {@code [offset, offset + length)} reads from, held for a zero-copy transfer (see
     * {@link ReadRegions} for what holding means), or empty when the range is not simply file-backed
     * (the caller then uses {@link #read}). Must not return regions whose bytes differ from what
     * {@code read} would return at this moment. Default: empty.
     */
    default Optional<ReadRegions> mapForRead(long offset, long length) throws IOException {
        return Optional.empty();
    }

    /**
     * A hint that {@code [offset, offset + length)} will be read soon (NBD's {@code CMD_CACHE}); a
     * cache device promotes it. Must not change what reads return. Default: nothing.
     */
    default void prefetch(long offset, long length) throws IOException {}

    @Override
    void close();
}
