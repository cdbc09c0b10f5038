package io.tiercache.core.dm;

import java.nio.ByteBuffer;

/**
 * One block I/O request as a target sees it, named after the kernel's {@code struct bio}.
 *
 * @param op what to do
 * @param offset byte offset, relative to the start of the target that receives it
 * @param length bytes covered ({@code data.remaining()} for reads and writes, 0 for a flush)
 * @param data the buffer read into or written from (null for flush, discard, write-zeroes)
 * @param flags {@link io.tiercache.spi.block.BlockIo#FUA} and friends
 */
public record Bio(Op op, long offset, long length, ByteBuffer data, int flags) {
    public enum Op { READ, WRITE, FLUSH, DISCARD, WRITE_ZEROES }

    public static Bio read(ByteBuffer dst, long offset) {
        return new Bio(Op.READ, offset, dst.remaining(), dst, 0);
    }

    public static Bio write(ByteBuffer src, long offset, int flags) {
        return new Bio(Op.WRITE, offset, src.remaining(), src, flags);
    }

    public static Bio flush() {
        return new Bio(Op.FLUSH, 0, 0, null, 0);
    }

    public boolean isWrite() {
        return op == Op.WRITE || op == Op.DISCARD || op == Op.WRITE_ZEROES;
    }

    /** The same request moved to {@code newOffset}, as dm remaps a bio onto another device. */
    public Bio remap(long newOffset) {
        return new Bio(op, newOffset, length, data, flags);
    }

    /** The part {@code [from, from + len)} of this request, relative to its own offset. */
    public Bio slice(long from, long len, long newOffset) {
        ByteBuffer d = null;
        if (data != null) {
            d = data.slice(data.position() + (int) from, (int) len);
        }
        return new Bio(op, newOffset, len, d, flags);
    }
}
