package io.tiercache.core.cache;

import io.tiercache.spi.block.BlockIo;
import io.tiercache.spi.block.BlockIoException;
import io.tiercache.spi.block.Errno;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * The metadata device as a shared metadata object sees it: the handle of one of the tables that
 * hold the object. When that table lets go, the object moves to another table's handle; the switch
 * waits for I/O in progress, so the handle being closed is no longer in use.
 */
final class SwitchableDevice implements BlockIo {
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private final List<BlockIo> holders = new ArrayList<>();

    SwitchableDevice(BlockIo first) {
        holders.add(first);
    }

    void add(BlockIo device) {
        lock.writeLock().lock();
        try {
            holders.add(device);
        } finally {
            lock.writeLock().unlock();
        }
    }

    void remove(BlockIo device) {
        lock.writeLock().lock();
        try {
            for (int i = 0; i < holders.size(); i++) {
                if (holders.get(i) == device) {
                    holders.remove(i);
                    return;
                }
            }
        } finally {
            lock.writeLock().unlock();
        }
    }

    @FunctionalInterface
    private interface Io<T> {
        T run(BlockIo dev) throws IOException;
    }

    private <T> T with(Io<T> io) throws IOException {
        lock.readLock().lock();
        try {
            if (holders.isEmpty()) {
                throw new BlockIoException(Errno.ENXIO, "metadata device closed");
            }
            return io.run(holders.getFirst());
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public long size() {
        lock.readLock().lock();
        try {
            return holders.isEmpty() ? 0 : holders.getFirst().size();
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public void read(ByteBuffer dst, long offset) throws IOException {
        with(d -> {
            d.read(dst, offset);
            return null;
        });
    }

    @Override
    public void write(ByteBuffer src, long offset, int flags) throws IOException {
        with(d -> {
            d.write(src, offset, flags);
            return null;
        });
    }

    @Override
    public void flush() throws IOException {
        with(d -> {
            d.flush();
            return null;
        });
    }

    @Override
    public void discard(long offset, long length) throws IOException {
        with(d -> {
            d.discard(offset, length);
            return null;
        });
    }

    @Override
    public void writeZeroes(long offset, long length, int flags) throws IOException {
        with(d -> {
            d.writeZeroes(offset, length, flags);
            return null;
        });
    }
}
