package io.tiercache.spi.block;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * A block device as plugins see it: byte-addressed, positional and thread-safe (any number of
 * requests may run at once from different threads). Every call may block; callers never make them
 * on a network event loop.
 *
 * <p>Offsets and lengths are in bytes. A request must lie inside {@link #size()}; implementations
 * answer a request outside it with {@link Errno#EINVAL} (reads) or {@link Errno#ENOSPC} (writes).
 */
public interface BlockIo {
    /** Write flag: the data is durable when the call returns (REQ_FUA). */
    int FUA = 1;

    /** Size in bytes; always a multiple of 512 for devices made from tables. */
    long size();

    /**
     * Fills {@code dst} from its position to its limit with the bytes at {@code offset}; on return
     * its position is at its limit, as after a channel read.
     */
    void read(ByteBuffer dst, long offset) throws IOException;

    /** Writes {@code src} from its position to its limit at {@code offset}; on return it is consumed. */
    void write(ByteBuffer src, long offset, int flags) throws IOException;

    /** Makes every completed write durable (REQ_PREFLUSH). */
    void flush() throws IOException;

    /** Says the range is no longer needed; its contents are undefined afterwards. */
    void discard(long offset, long length) throws IOException;

    /** Makes the range read as zeroes. */
    void writeZeroes(long offset, long length, int flags) throws IOException;
}
