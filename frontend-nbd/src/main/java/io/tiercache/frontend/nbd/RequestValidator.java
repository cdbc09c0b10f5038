package io.tiercache.frontend.nbd;

import static io.tiercache.frontend.nbd.NbdConstants.CMD_BLOCK_STATUS;
import static io.tiercache.frontend.nbd.NbdConstants.CMD_CACHE;
import static io.tiercache.frontend.nbd.NbdConstants.CMD_FLAG_DF;
import static io.tiercache.frontend.nbd.NbdConstants.CMD_FLAG_FAST_ZERO;
import static io.tiercache.frontend.nbd.NbdConstants.CMD_FLAG_FUA;
import static io.tiercache.frontend.nbd.NbdConstants.CMD_FLAG_NO_HOLE;
import static io.tiercache.frontend.nbd.NbdConstants.CMD_FLAG_REQ_ONE;
import static io.tiercache.frontend.nbd.NbdConstants.CMD_FLUSH;
import static io.tiercache.frontend.nbd.NbdConstants.CMD_READ;
import static io.tiercache.frontend.nbd.NbdConstants.CMD_TRIM;
import static io.tiercache.frontend.nbd.NbdConstants.CMD_WRITE;
import static io.tiercache.frontend.nbd.NbdConstants.CMD_WRITE_ZEROES;
import static io.tiercache.frontend.nbd.NbdConstants.EINVAL;
import static io.tiercache.frontend.nbd.NbdConstants.ENOSPC;
import static io.tiercache.frontend.nbd.NbdConstants.ENOTSUP;
import static io.tiercache.frontend.nbd.NbdConstants.EPERM;
import static io.tiercache.frontend.nbd.NbdConstants.MAX_PAYLOAD;

/**
 * The checks a request passes before it may touch the device: known command, flags that apply to
 * it, a writable export for writes, a sane length, and a range inside the export. Cheap enough to
 * run on the event loop, so a bad request is answered without a thread hop.
 */
final class RequestValidator {
    private RequestValidator() {}

    /** 0 when the request may run, else the NBD error to answer with. */
    static int check(NbdRequest req, long size, boolean readOnly, Negotiated negotiated) {
        int allowed = allowedFlags(req.type(), negotiated);
        if (allowed < 0 || (req.flags() & ~allowed) != 0) {
            return EINVAL; // unknown command, or a flag that does not apply to it
        }
        if (req.error() != 0) {
            return req.error();
        }
        return switch (req.type()) {
            case CMD_FLUSH -> 0;
            case CMD_READ -> req.length() > MAX_PAYLOAD ? EINVAL : range(req, size, EINVAL);
            case CMD_CACHE, CMD_BLOCK_STATUS -> range(req, size, EINVAL);
            case CMD_WRITE -> readOnly ? EPERM : range(req, size, ENOSPC);
            case CMD_TRIM -> readOnly ? EPERM : range(req, size, EINVAL);
            case CMD_WRITE_ZEROES -> readOnly ? EPERM : writeZeroes(req, size);
            default -> EINVAL;
        };
    }

    /**
     * FUA is accepted on every command, because we advertise it; the rest only where they apply
     * and were negotiated (DF needs structured replies). -1 for commands this connection cannot
     * use: BLOCK_STATUS without a selected meta context, RESIZE, anything unknown.
     */
    private static int allowedFlags(int type, Negotiated negotiated) {
        return switch (type) {
            case CMD_READ -> negotiated.structured() ? CMD_FLAG_FUA | CMD_FLAG_DF : CMD_FLAG_FUA;
            case CMD_WRITE, CMD_FLUSH, CMD_TRIM, CMD_CACHE -> CMD_FLAG_FUA;
            case CMD_WRITE_ZEROES -> CMD_FLAG_FUA | CMD_FLAG_NO_HOLE | CMD_FLAG_FAST_ZERO;
            case CMD_BLOCK_STATUS -> negotiated.contexts().isEmpty() ? -1 : CMD_FLAG_FUA | CMD_FLAG_REQ_ONE;
            default -> -1;
        };
    }

    private static int writeZeroes(NbdRequest req, long size) {
        int rangeError = range(req, size, ENOSPC);
        if (rangeError != 0) {
            return rangeError;
        }
        // BlockIo cannot promise that zeroing is cheaper than writing, so a client asking for
        // fast zeroing is told at once to fall back (the answer the protocol prescribes).
        return req.has(CMD_FLAG_FAST_ZERO) ? ENOTSUP : 0;
    }

    /**
     * {@code offset + length > size} in unsigned 64-bit arithmetic (offset is a u64 that a signed
     * long would show as negative). Zero-length requests are refused too, as nbdkit does: the
     * protocol leaves them unspecified, and no device call should see one.
     */
    static int range(NbdRequest req, long size, int outOfRange) {
        if (req.length() == 0) {
            return EINVAL;
        }
        if (Long.compareUnsigned(req.offset(), size) > 0 || req.length() > size - req.offset()) {
            return outOfRange;
        }
        return 0;
    }
}
