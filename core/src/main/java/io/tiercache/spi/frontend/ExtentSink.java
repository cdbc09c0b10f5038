package io.tiercache.spi.frontend;

/**
 * Receives the answer to {@link Export#blockStatus} one extent at a time, in order, so that a
 * device with many extents needs no list and the caller can stop early.
 */
@FunctionalInterface
public interface ExtentSink {
    /**
     * The next {@code length} bytes (more than 0), starting where the previous extent ended (the
     * first starts at the queried offset), all have the state {@code flags}.
     *
     * @return false when the caller wants no more extents; the export then returns
     */
    boolean extent(long length, int flags);
}
