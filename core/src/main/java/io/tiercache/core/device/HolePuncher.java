package io.tiercache.core.device;

import java.nio.file.Path;

/**
 * Deallocates or zeroes ranges of a file with {@code fallocate(2)}. This first version does neither
 * ({@link #punch} keeps the data, {@link #zeroRange} answers false so the caller writes zeroes).
 */
class HolePuncher implements AutoCloseable {
    static HolePuncher open(Path path) {
        return new HolePuncher();
    }

    /** Deallocates the range if the file system can; contents afterwards read as zeroes or stay. */
    void punch(long offset, long length) {}

    /** Zeroes the range without writing data; false if that is not possible here. */
    boolean zeroRange(long offset, long length) {
        return false;
    }

    @Override
    public void close() {}
}
