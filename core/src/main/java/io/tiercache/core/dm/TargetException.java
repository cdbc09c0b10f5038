package io.tiercache.core.dm;

import io.tiercache.spi.block.Errno;

/**
 * A constructor refusal: {@code error} is what the kernel puts in {@code ti->error}, logged as
 * {@code device-mapper: table: <dev>: <type>: <error>}; the load fails with {@code errno}.
 */
public final class TargetException extends Exception {
    private static final long serialVersionUID = 1L;
    private final Errno errno;

    public TargetException(String error) {
        this(Errno.EINVAL, error);
    }

    public TargetException(Errno errno, String error) {
        super(error);
        this.errno = errno;
    }

    public Errno errno() {
        return errno;
    }
}
