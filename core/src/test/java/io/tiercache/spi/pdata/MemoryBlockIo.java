package io.tiercache.spi.pdata;

import io.tiercache.spi.block.BlockIo;
import io.tiercache.spi.block.BlockIoException;
import io.tiercache.spi.block.Errno;
import java.nio.ByteBuffer;
import java.util.Arrays;

/** A RAM-backed {@link BlockIo} that counts writes and flushes. */
final class MemoryBlockIo implements BlockIo {
    final byte[] bytes;
    int writes;
    int flushes;

    MemoryBlockIo(long size) {
        this.bytes = new byte[(int) size];
    }

    MemoryBlockIo(byte[] bytes) {
        this.bytes = bytes;
    }

    static MemoryBlockIo ofMiB(int mib) {
        return new MemoryBlockIo((long) mib << 20);
    }

    MemoryBlockIo copy() {
        return new MemoryBlockIo(bytes.clone());
    }

    @Override
    public long size() {
        return bytes.length;
    }

    @Override
    public void read(ByteBuffer dst, long offset) throws BlockIoException {
        check(offset, dst.remaining());
        dst.put(bytes, (int) offset, dst.remaining());
    }

    @Override
    public void write(ByteBuffer src, long offset, int flags) throws BlockIoException {
        check(offset, src.remaining());
        writes++;
        src.get(bytes, (int) offset, src.remaining());
    }

    @Override
    public void flush() {
        flushes++;
    }

    @Override
    public void discard(long offset, long length) {}

    @Override
    public void writeZeroes(long offset, long length, int flags) throws BlockIoException {
        check(offset, length);
        Arrays.fill(bytes, (int) offset, (int) (offset + length), (byte) 0);
    }

    private void check(long offset, long length) throws BlockIoException {
        if (offset < 0 || offset + length > bytes.length) {
            throw new BlockIoException(Errno.EINVAL, "[" + offset + ", +" + length + ") beyond " + bytes.length);
        }
    }
}
