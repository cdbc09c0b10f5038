package io.tiercache.core.dm;

import io.tiercache.spi.block.Errno;

/**
 * A device-mapper operation refused, with the errno the ioctl would return. The message is what the
 * kernel would log; users see the errno's text, as dmsetup shows it.
 */
public final class DmException extends Exception {
    private static final long serialVersionUID = 1L;
    private final Errno errno;

    public DmException(Errno errno, String message) {
        super(message);
        this.errno = errno;
    }

    public DmException(Errno errno, String message, Throwable cause) {
        super(message, cause);
        this.errno = errno;
    }

    public Errno errno() {
        return errno;
    }
}
