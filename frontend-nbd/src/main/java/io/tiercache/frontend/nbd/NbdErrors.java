package io.tiercache.frontend.nbd;

import static io.tiercache.frontend.nbd.NbdConstants.EINVAL;
import static io.tiercache.frontend.nbd.NbdConstants.EIO;
import static io.tiercache.frontend.nbd.NbdConstants.ENOMEM;
import static io.tiercache.frontend.nbd.NbdConstants.ENOSPC;
import static io.tiercache.frontend.nbd.NbdConstants.ENOTSUP;
import static io.tiercache.frontend.nbd.NbdConstants.EOVERFLOW;
import static io.tiercache.frontend.nbd.NbdConstants.EPERM;
import static io.tiercache.frontend.nbd.NbdConstants.ESHUTDOWN;

import io.tiercache.spi.block.BlockIoException;
import io.tiercache.spi.block.Errno;

/**
 * Maps the device's errno classes onto the few values the NBD protocol defines; clients treat any
 * other value as EINVAL, so nothing else may reach the wire.
 */
final class NbdErrors {
    private NbdErrors() {}

    static int of(Throwable failure) {
        return of(BlockIoException.errnoOf(failure));
    }

    static int of(Errno errno) {
        return switch (errno) {
            case EPERM, EROFS -> EPERM;
            case ENOMEM -> ENOMEM;
            case EINVAL -> EINVAL;
            case ENOSPC, EFBIG -> ENOSPC; // the protocol folds "too big" into ENOSPC
            case EOVERFLOW -> EOVERFLOW;
            case EOPNOTSUPP -> ENOTSUP;
            case ESHUTDOWN -> ESHUTDOWN;
            default -> EIO;
        };
    }
}
