package io.tiercache.spi.block;

import java.io.IOException;

/** An I/O failure with the errno class a block device would report. */
public class BlockIoException extends IOException {
    private static final long serialVersionUID = 1L;
    private final Errno errno;

    public BlockIoException(Errno errno, String message) {
        super(message);
        this.errno = errno;
    }

    public BlockIoException(Errno errno, String message, Throwable cause) {
        super(message, cause);
        this.errno = errno;
    }

    public Errno errno() {
        return errno;
    }

    /** The errno class of any I/O failure: EIO unless it says otherwise. */
    public static Errno errnoOf(Throwable t) {
        return t instanceof BlockIoException b ? b.errno() : Errno.EIO;
    }
}
