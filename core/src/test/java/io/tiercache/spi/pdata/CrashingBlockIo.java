package io.tiercache.spi.pdata;

import io.tiercache.spi.block.BlockIo;
import io.tiercache.spi.block.BlockIoException;
import io.tiercache.spi.block.Errno;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * A device that loses power after a number of writes. Two models of what survives:
 * {@code volatileCache = false}: every write before the crash is on the medium (the writes simply
 * stop); {@code true}: only writes followed by a flush survive (a volatile write cache that is lost).
 */
final class CrashingBlockIo implements BlockIo {
    private final MemoryBlockIo medium;
    private final boolean volatileCache;
    private final List<Pending> unflushed = new ArrayList<>();
    private int writesLeft;
    private boolean crashed;

    private record Pending(long offset, byte[] data) {}

    CrashingBlockIo(MemoryBlockIo medium, int writesBeforeCrash, boolean volatileCache) {
        this.medium = medium;
        this.writesLeft = writesBeforeCrash;
        this.volatileCache = volatileCache;
    }

    boolean crashed() {
        return crashed;
    }

    @Override
    public long size() {
        return medium.size();
    }

    @Override
    public void read(ByteBuffer dst, long offset) throws IOException {
        medium.read(dst, offset);
        // What the device returns before the crash includes its cache.
        for (Pending p : unflushed) {
            overlay(dst, offset, p);
        }
    }

    private static void overlay(ByteBuffer dst, long offset, Pending p) {
        long start = Math.max(offset, p.offset());
        long end = Math.min(offset + dst.limit() - 0, p.offset() + p.data().length);
        for (long x = start; x < end; x++) {
            dst.put((int) (x - offset), p.data()[(int) (x - p.offset())]);
        }
    }

    @Override
    public void write(ByteBuffer src, long offset, int flags) throws IOException {
        if (crashed || writesLeft-- <= 0) {
            crash();
        }
        if (volatileCache) {
            byte[] data = new byte[src.remaining()];
            src.get(data);
            unflushed.add(new Pending(offset, data));
        } else {
            medium.write(src, offset, flags);
        }
    }

    @Override
    public void flush() throws IOException {
        if (crashed) {
            throw new BlockIoException(Errno.EIO, "device lost power");
        }
        for (Pending p : unflushed) {
            medium.write(ByteBuffer.wrap(p.data()), p.offset(), 0);
        }
        unflushed.clear();
    }

    private void crash() throws BlockIoException {
        crashed = true;
        unflushed.clear();
        throw new BlockIoException(Errno.EIO, "device lost power");
    }

    @Override
    public void discard(long offset, long length) {}

    @Override
    public void writeZeroes(long offset, long length, int flags) throws IOException {
        medium.writeZeroes(offset, length, flags);
    }
}
