package io.tiercache.core.dm.targets;

import io.tiercache.core.dm.Bio;
import io.tiercache.core.dm.DmException;
import io.tiercache.core.dm.Target;
import io.tiercache.core.dm.TargetContext;
import io.tiercache.core.dm.TargetException;
import io.tiercache.core.dm.TargetType;
import io.tiercache.spi.block.BlockIo;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * {@code delay <device> <offset> <delay> [<write_device> <write_offset> <write_delay>
 * [<flush_device> <flush_offset> <flush_delay>]]}: holds each request back for a fixed number of
 * milliseconds, then sends it on. Reads use the first triple; writes, discards and write-zeroes the
 * second (or the first); flushes the third (or the second, or the first).
 *
 * <p>The delay is a timed wait on the calling I/O thread, so concurrent requests wait side by side
 * as the kernel's timer-held bios do. Suspending releases every waiting request at once and stops
 * delaying until resume, as the kernel's presuspend flushes its queue.
 */
public final class DelayTarget implements Target {
    /** One direction's destination and delay. */
    private record DelayClass(BlockIo dev, long startByte, long delayNanos) {}

    private static final int READ = 0;
    private static final int WRITE = 1;
    private static final int FLUSH = 2;

    /** Indexed by {@link #READ}, {@link #WRITE}, {@link #FLUSH}. */
    private final DelayClass[] classes;
    /** How many requests of each direction are being held right now. */
    private final AtomicIntegerArray waiting = new AtomicIntegerArray(3);
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition released = lock.newCondition();
    /** False from presuspend to resume; cleared under {@link #lock} so no sleeper misses the change. */
    private volatile boolean mayDelay = true;

    private DelayTarget(DelayClass read, DelayClass write, DelayClass flush) {
        this.classes = new DelayClass[] {read, write, flush};
    }

    @Override
    public void map(Bio bio) throws IOException {
        // As in the kernel: a flush is a write with PREFLUSH, a discard is a write.
        int direction = switch (bio.op()) {
            case READ -> READ;
            case FLUSH -> FLUSH;
            case WRITE, DISCARD, WRITE_ZEROES -> WRITE;
        };
        DelayClass c = classes[direction];
        hold(c.delayNanos(), direction);
        Bios.submit(c.dev(), bio, c.startByte() + bio.offset());
    }

    /** Waits out the class's delay, or less if a suspend releases the queue first. */
    private void hold(long delayNanos, int direction) throws InterruptedIOException {
        if (delayNanos == 0 || !mayDelay) {
            return;
        }
        long deadline = System.nanoTime() + delayNanos;
        waiting.incrementAndGet(direction);
        lock.lock();
        try {
            long left;
            while (mayDelay && (left = deadline - System.nanoTime()) > 0) {
                released.awaitNanos(left);
            }
        } catch (InterruptedException e) {
            // Not sending it on: an interrupted thread would close a FileChannel under everyone.
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("delay: request interrupted while delayed");
        } finally {
            lock.unlock();
            waiting.decrementAndGet(direction);
        }
    }

    /** Stops delaying and lets every waiting request go now. */
    private void releaseAll() {
        lock.lock();
        try {
            mayDelay = false;
            released.signalAll();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void presuspend() {
        releaseAll();
    }

    @Override
    public void postsuspend() {
        // Normally a no-op (presuspend already released them): kept so a suspend never waits out a delay.
        releaseAll();
    }

    @Override
    public void resume() {
        mayDelay = true;
    }

    @Override
    public void dtr() {
        releaseAll();
    }

    /** {@code <reads> <writes> <flushes>} currently being delayed, as the kernel's INFO line. */
    @Override
    public String status() {
        return waiting.get(READ) + " " + waiting.get(WRITE) + " " + waiting.get(FLUSH);
    }

    /** The registered type. */
    public static final class Type implements TargetType {
        private static final long UINT_MAX = 0xFFFF_FFFFL;

        @Override
        public String name() {
            return "delay";
        }

        @Override
        public int[] version() {
            return new int[] {1, 4, 0};
        }

        @Override
        public Target construct(TargetContext ctx, List<String> args)
                throws TargetException, DmException {
            int n = args.size();
            if (n != 3 && n != 6 && n != 9) {
                throw new TargetException("Requires exactly 3, 6 or 9 arguments");
            }
            // Each triple is parsed and its device opened before the next triple is looked at.
            DelayClass read = delayClass(ctx, args.subList(0, 3));
            DelayClass write = n >= 6 ? delayClass(ctx, args.subList(3, 6)) : read;
            DelayClass flush = n == 9 ? delayClass(ctx, args.subList(6, 9)) : write;
            return new DelayTarget(read, write, flush);
        }

        private static DelayClass delayClass(TargetContext ctx, List<String> triple)
                throws TargetException, DmException {
            long offset = Args.sector(triple.get(1), "Invalid device sector");
            long delayMs = Args.unsigned(triple.get(2), UINT_MAX, "Invalid delay");
            BlockIo dev = ctx.getDevice(triple.get(0), "Device lookup failed");
            // Too small is a table-level refusal, as the kernel's area check is.
            ctx.requireArea(triple.get(0), dev, offset, ctx.length());
            return new DelayClass(dev, offset * 512, TimeUnit.MILLISECONDS.toNanos(delayMs));
        }
    }
}
