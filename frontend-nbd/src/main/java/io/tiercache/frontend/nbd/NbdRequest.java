package io.tiercache.frontend.nbd;

import io.netty.buffer.ByteBuf;

/**
 * One transmission request as decoded.
 *
 * @param flags command flags
 * @param type command type
 * @param cookie the client's handle, echoed untouched in the reply
 * @param offset u64 offset (compare unsigned)
 * @param length u32 length, widened without sign
 * @param payload a WRITE's data, or null; the receiver owns it and must {@link #release()} it
 * @param error non-zero when the decoder already rejected the request (an oversize WRITE whose
 *     payload it is discarding)
 */
record NbdRequest(int flags, int type, long cookie, long offset, long length, ByteBuf payload, int error) {

    void release() {
        if (payload != null && payload.refCnt() > 0) {
            payload.release();
        }
    }

    NbdRequest withPayload(ByteBuf data) {
        return new NbdRequest(flags, type, cookie, offset, length, data, error);
    }

    NbdRequest rejected(int errno) {
        return new NbdRequest(flags, type, cookie, offset, length, null, errno);
    }

    boolean has(int flag) {
        return (flags & flag) != 0;
    }
}
