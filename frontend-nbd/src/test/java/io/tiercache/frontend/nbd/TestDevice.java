package io.tiercache.frontend.nbd;

import io.tiercache.spi.block.BlockIoException;
import io.tiercache.spi.block.Errno;
import io.tiercache.spi.frontend.BlockStatusContext;
import io.tiercache.spi.frontend.Export;
import io.tiercache.spi.frontend.ExtentSink;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An in-memory device for tests, with an open count like a dm device's, and a gate that can hold
 * every I/O (a suspended device queues I/O until it is resumed).
 *
 * <p>It answers block status per 4 KiB block: {@code base:allocation} from what was done to each
 * block (trimmed: HOLE|ZERO, zeroed: ZERO, written: 0), {@code tiercache:cache} from flags a test
 * sets. A test that writes into {@link #data()} directly should {@link #forgetAllocation()}.
 */
final class TestDevice {
    static final int BLOCK = 4096;

    private final String name;
    private final byte[] data;
    private final boolean readOnly;
    private final AtomicInteger openCount = new AtomicInteger();
    private final AtomicInteger opensTotal = new AtomicInteger();
    private final AtomicLong flushes = new AtomicLong();
    private final AtomicLong fuaWrites = new AtomicLong();
    private final AtomicLong reads = new AtomicLong();
    private final AtomicInteger blockedNow = new AtomicInteger();
    private volatile boolean suspended;
    private volatile IOException failure;
    private final int[] allocation;
    private final int[] cacheState;
    private volatile boolean multiConn;
    private volatile StatusHook statusHook;

    /** Answers block status in place of the per-block flags, for odd shapes of answer. */
    interface StatusHook {
        void answer(BlockStatusContext context, long offset, long length, ExtentSink sink);
    }

    void statusHook(StatusHook hook) {
        statusHook = hook;
    }

    TestDevice(String name, int size, boolean readOnly) {
        this.name = name;
        this.data = new byte[size];
        this.readOnly = readOnly;
        int blocks = (size + BLOCK - 1) / BLOCK;
        this.allocation = new int[blocks];
        this.cacheState = new int[blocks];
    }

    /** Sets the {@code tiercache:cache} flags of every block the range touches. */
    synchronized void setCacheState(long offset, long length, int flags) {
        Arrays.fill(cacheState, (int) (offset / BLOCK), (int) ((offset + length + BLOCK - 1) / BLOCK), flags);
    }

    /** Forgets what was trimmed or zeroed: every block is "allocated, contents unknown" again. */
    synchronized void forgetAllocation() {
        Arrays.fill(allocation, 0);
    }

    void multiConn(boolean value) {
        multiConn = value;
    }

    /** Marks whole blocks inside the range with {@code flags}; partly covered ones become data. */
    private synchronized void mark(long offset, long length, int flags) {
        long first = offset / BLOCK;
        long end = (offset + length + BLOCK - 1) / BLOCK;
        for (long b = first; b < end; b++) {
            boolean whole = b * BLOCK >= offset && Math.min((b + 1) * BLOCK, data.length) <= offset + length;
            allocation[(int) b] = whole ? flags : 0;
        }
    }

    private synchronized void report(int[] flags, long offset, long length, ExtentSink sink) {
        long pos = offset;
        long end = offset + length;
        while (pos < end) {
            int block = (int) (pos / BLOCK);
            long next = Math.min((long) (block + 1) * BLOCK, end);
            if (!sink.extent(next - pos, flags[block])) {
                return;
            }
            pos = next;
        }
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

    /** READ calls that reached the device. */
    long reads() {
        return reads.get();
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
        waitWhileSuspended();
        IOException f = failure;
        if (f != null) {
            throw f;
        }
    }

    private void waitWhileSuspended() throws IOException {
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
        public boolean multiConn() {
            return multiConn;
        }

        @Override
        public void blockStatus(BlockStatusContext context, long offset, long length, ExtentSink sink) throws IOException {
            waitWhileSuspended(); // failWith() is for data I/O: a read can fail after its plan was made
            check(offset, length, Errno.EINVAL);
            StatusHook hook = statusHook;
            if (hook != null) {
                hook.answer(context, offset, length, sink);
                return;
            }
            report(context == BlockStatusContext.ALLOCATION ? allocation : cacheState, offset, length, sink);
        }

        @Override
        public void read(ByteBuffer dst, long offset) throws IOException {
            reads.incrementAndGet();
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
            mark(offset, src.remaining(), 0);
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
            zero(offset, length);
            mark(offset, length, BlockStatusContext.HOLE | BlockStatusContext.ZERO);
        }

        @Override
        public void writeZeroes(long offset, long length, int flags) throws IOException {
            zero(offset, length);
            mark(offset, length, BlockStatusContext.ZERO);
        }

        private void zero(long offset, long length) throws IOException {
            gate();
            check(offset, length, Errno.ENOSPC);
            Arrays.fill(data, (int) offset, (int) (offset + length), (byte) 0);
        }
    }
}
