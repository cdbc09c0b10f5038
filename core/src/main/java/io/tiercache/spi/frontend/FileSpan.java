package io.tiercache.spi.frontend;

import java.nio.channels.FileChannel;

/**
 * A run of an export's bytes as they lie in a file: what a frontend can send with
 * {@code sendfile} instead of copying through memory. The channel belongs to the device; nobody
 * but the device may close it.
 *
 * @param channel the file holding the bytes
 * @param position where they start in the file
 * @param length how many bytes
 */
public record FileSpan(FileChannel channel, long position, long length) {
    public FileSpan {
        if (position < 0 || length <= 0) {
            throw new IllegalArgumentException("bad span " + position + "+" + length);
        }
    }
}
