package io.tiercache.frontend.nbd;

import io.tiercache.spi.block.BlockIoException;
import io.tiercache.spi.block.Errno;
import io.tiercache.spi.frontend.Export;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An in-memory device for tests, with an open count like a dm device's, and a gate that can hold
 * every I/O (a suspended device queues I/O until it is resumed).
 */
final class TestDevice {
    private final String name;
    private final byte[] data;
    private final boolean readOnly;
    private final AtomicInteger openCount = new AtomicInteger();
    private final AtomicInteger opensTotal = new AtomicInteger();
    private final AtomicLong flushes = new AtomicLong();
    private final AtomicLong fuaWrites = new AtomicLong();
    private final AtomicInteger blockedNow = new AtomicInteger();
    private volatile boolean suspended;
    private volatile IOException failure;

    TestDevice(String name, int size, boolean readOnly) {
        this.name = name;
        this.data = new byte[size];
        this.readOnly = readOnly;
    }

    TestDevice(String name, int size) {
        this(name, size, false);
    }

    String name() {
        return name;
    }

    byte[] data() {
        return data;
    }

    int openCount() {
        return openCount.get();
    }

    int opensTotal() {
        return opensTotal.get();
    }

    long flushes() {
        return flushes.get();
    }

    long fuaWrites() {
        return fuaWrites.get();
    }

    /** How many I/O calls are waiting at the gate right now. */
    int blockedNow() {
        return blockedNow.get();
    }

    /** Makes every later I/O call wait until {@link #resume()}. */
    synchronized void suspend() {
        suspended = true;
    }

    synchronized void resume() {
        suspended = false;
        notifyAll();
    }

    /** Makes every later I/O call fail with this exception (null: succeed again). */
    void failWith(IOException e) {
        failure = e;
    }

    Export open() {
        openCount.incrementAndGet();
        opensTotal.incrementAndGet();
        return new Handle();
    }

    private void gate() throws IOException {
        if (suspended) {
            blockedNow.incrementAndGet();
            try {
                synchronized (this) {
                    while (suspended) {
                        wait();
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while suspended", e);
            } finally {
                blockedNow.decrementAndGet();
            }
        }
        IOException f = failure;
        if (f != null) {
            throw f;
        }
    }

    private void check(long offset, long length, Errno outOfRange) throws BlockIoException {
        if (offset < 0 || length < 0 || offset + length > data.length) {
            throw new BlockIoException(outOfRange, "out of range");
        }
    }

    private final class Handle implements Export {
        private final AtomicBoolean closed = new AtomicBoolean();

        @Override
        public String name() {
            return name;
        }

        @Override
        public boolean readOnly() {
            return readOnly;
        }

        @Override
        public void close() {
            if (closed.compareAndSet(false, true)) {
                openCount.decrementAndGet();
            }
        }

        @Override
        public long size() {
            return data.length;
        }

        @Override
        public void read(ByteBuffer dst, long offset) throws IOException {
            gate();
            check(offset, dst.remaining(), Errno.EINVAL);
            dst.put(data, (int) offset, dst.remaining());
        }

        @Override
        public void write(ByteBuffer src, long offset, int flags) throws IOException {
            gate();
            if (readOnly) {
                throw new BlockIoException(Errno.EPERM, "read-only");
            }
            check(offset, src.remaining(), Errno.ENOSPC);
            src.get(data, (int) offset, src.remaining());
            if ((flags & FUA) != 0) {
                fuaWrites.incrementAndGet();
            }
        }

        @Override
        public void flush() throws IOException {
            gate();
            flushes.incrementAndGet();
        }

        @Override
        public void discard(long offset, long length) throws IOException {
            writeZeroes(offset, length, 0);
        }

        @Override
        public void writeZeroes(long offset, long length, int flags) throws IOException {
            gate();
            check(offset, length, Errno.ENOSPC);
            java.util.Arrays.fill(data, (int) offset, (int) (offset + length), (byte) 0);
        }
    }
}
