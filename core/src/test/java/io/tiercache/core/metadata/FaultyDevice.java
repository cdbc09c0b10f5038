package io.tiercache.core.metadata;

import io.tiercache.spi.block.BlockIo;
import io.tiercache.spi.block.BlockIoException;
import io.tiercache.spi.block.Errno;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * A device that starts failing: writes (and flushes) after a number of further writes, and reads
 * too once it is "dead". Every attempt is counted, failed or not, so a test can prove that nothing
 * touched the device at all.
 */
public final class FaultyDevice implements BlockIo {
    private final BlockIo medium;
    private long writesLeft = Long.MAX_VALUE;
    private boolean readsFail;
    public int attempts;

    public FaultyDevice(BlockIo medium) {
        this.medium = medium;
    }

    /** The next {@code n} writes succeed, every later write and flush fails with EIO. */
    public FaultyDevice failWritesAfter(long n) {
        writesLeft = n;
        return this;
    }

    /** Reads fail as well from now on. */
    public FaultyDevice failReads() {
        readsFail = true;
        return this;
    }

    /** Works again (the medium keeps whatever reached it). */
    public FaultyDevice heal() {
        writesLeft = Long.MAX_VALUE;
        readsFail = false;
        return this;
    }

    @Override
    public long size() {
        return medium.size();
    }

    @Override
    public void read(ByteBuffer dst, long offset) throws IOException {
        attempts++;
        if (readsFail) {
            throw new BlockIoException(Errno.EIO, "injected read error at " + offset);
        }
        medium.read(dst, offset);
    }

    @Override
    public void write(ByteBuffer src, long offset, int flags) throws IOException {
        attempts++;
        if (writesLeft <= 0) {
            throw new BlockIoException(Errno.EIO, "injected write error at " + offset);
        }
        writesLeft--;
        medium.write(src, offset, flags);
    }

    @Override
    public void flush() throws IOException {
        attempts++;
        if (writesLeft <= 0) {
            throw new BlockIoException(Errno.EIO, "injected flush error");
        }
        medium.flush();
    }

    @Override
    public void discard(long offset, long length) throws IOException {
        attempts++;
        medium.discard(offset, length);
    }

    @Override
    public void writeZeroes(long offset, long length, int flags) throws IOException {
        attempts++;
        if (writesLeft <= 0) {
            throw new BlockIoException(Errno.EIO, "injected write error at " + offset);
        }
        medium.writeZeroes(offset, length, flags);
    }
}
