package io.tiercache.core.dm;

import io.tiercache.spi.metrics.MetricSink;
import io.tiercache.spi.block.BlockIoException;
import io.tiercache.spi.block.Errno;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A mapped device (the kernel's {@code struct mapped_device}): a name, a live and an inactive table
 * slot, a suspended flag that holds new I/O back, an open count and an event counter.
 *
 * <p>Two locks with separate jobs: {@link #control} serialises lifecycle operations (load, suspend,
 * resume, remove), which may take long because hooks write metadata; {@link #state} guards the few
 * fields the I/O path reads and is never held across I/O or a hook.
 */
public final class MappedDevice {
    private final String name;
    private final Object control = new Object();
    private final ReentrantLock state = new ReentrantLock();
    private final Condition changed = state.newCondition();

    private Table live;
    /** The live table's {@link Table#reportsZeroes()}, readable without the lock (a hint). */
    private volatile boolean liveReportsZeroes;
    private Table inactive;
    private boolean suspended;
    private boolean removed;
    private int inFlight;
    private int openCount;
    private long eventNr;
    private final IoStats stats = new IoStats();

    MappedDevice(String name) {
        this.name = name;
    }

    public String name() {
        return name;
    }

    Object control() {
        return control;
    }

    /** Runs a request against the live table, waiting while the device is suspended. */
    void submit(Bio bio) throws IOException {
        Table table = enter();
        long start = System.nanoTime();
        boolean failed = true;
        try {
            table.map(bio);
            failed = false;
        } finally {
            exit();
            stats.done(bio.op(), bio.length(), System.nanoTime() - start, failed);
        }
    }

    /** Accounts a request that went through {@link #enter()} and {@link #exit()} directly. */
    void accountRead(long length, long startNanos) {
        stats.done(Bio.Op.READ, length, System.nanoTime() - startNanos, false);
    }

    /**
     * Counts a request in flight against the live table (waiting while suspended) and returns that
     * table; {@link #exit()} ends it. Besides {@link #submit}, used for zero-copy reads, whose
     * request lasts until the frontend has sent the bytes.
     */
    Table enter() throws IOException {
        state.lock();
        try {
            while (!removed && (suspended || live == null)) {
                changed.awaitUninterruptibly();
            }
            if (removed) {
                throw new BlockIoException(Errno.ENXIO, "device " + name + " was removed");
            }
            inFlight++;
            return live;
        } finally {
            state.unlock();
        }
    }

    void exit() {
        state.lock();
        try {
            if (--inFlight == 0) {
                changed.signalAll();
            }
        } finally {
            state.unlock();
        }
    }

    // ---- the lifecycle steps DeviceMapper composes; callers hold control ----

    /** Stops new I/O, waits for requests in flight, then postsuspend. No-op if already suspended. */
    void suspend(boolean noflush) {
        Table t;
        state.lock();
        try {
            if (suspended || live == null) {
                suspended = true;
                return;
            }
            t = live;
        } finally {
            state.unlock();
        }
        // presuspend runs while I/O still flows, as in dm (targets may stop issuing their own work).
        t.presuspend();
        state.lock();
        try {
            suspended = true;
            while (inFlight > 0) {
                changed.awaitUninterruptibly();
            }
        } finally {
            state.unlock();
        }
        t.postsuspend();
    }

    /** Puts the inactive table live; returns the table that was live (to destroy), or null. */
    Table swap() {
        state.lock();
        try {
            Table old = live;
            live = inactive;
            liveReportsZeroes = live != null && live.reportsZeroes();
            inactive = null;
            return old;
        } finally {
            state.unlock();
        }
    }

    /** Lets I/O flow again (after preresume and resume succeeded). */
    void unsuspend() {
        state.lock();
        try {
            suspended = false;
            changed.signalAll();
        } finally {
            state.unlock();
        }
    }

    /** Replaces the inactive slot; returns the table it held (to destroy), or null. */
    Table setInactive(Table t) {
        state.lock();
        try {
            Table old = inactive;
            inactive = t;
            return old;
        } finally {
            state.unlock();
        }
    }

    /** Marks the device gone: waiting I/O fails, the tables are handed back for destruction. */
    Table[] markRemoved() {
        state.lock();
        try {
            removed = true;
            Table[] tables = {live, inactive};
            live = null;
            liveReportsZeroes = false;
            inactive = null;
            changed.signalAll();
            return tables;
        } finally {
            state.unlock();
        }
    }

    // ---- open count, events, info ----

    boolean tryOpen() {
        state.lock();
        try {
            if (removed || live == null) {
                return false;
            }
            openCount++;
            return true;
        } finally {
            state.unlock();
        }
    }

    void close() {
        state.lock();
        try {
            openCount--;
        } finally {
            state.unlock();
        }
    }

    void raiseEvent() {
        state.lock();
        try {
            eventNr++;
            changed.signalAll();
        } finally {
            state.unlock();
        }
    }

    /** Waits until the event counter exceeds {@code after}; returns the counter, or -1 on timeout. */
    long awaitEvent(long after, long timeoutMillis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        state.lock();
        try {
            while (eventNr <= after && !removed) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return -1;
                }
                changed.awaitNanos(left);
            }
            return eventNr;
        } finally {
            state.unlock();
        }
    }

    /** A consistent snapshot for {@code info}. */
    public DeviceInfo info() {
        state.lock();
        try {
            return new DeviceInfo(name, suspended, live != null,
                    inactive != null, openCount, eventNr, live == null ? 0 : live.entries().size(),
                    live == null ? 0 : live.sizeSectors());
        } finally {
            state.unlock();
        }
    }

    /**
     * Reports the device's state, its I/O accounting and its live targets' own metrics (each
     * labelled with the target's start sector), all labelled with the device's name. Takes no
     * lifecycle lock, so a scrape never waits for a suspend or a metadata commit; a target whose
     * table is being replaced may still be asked, which {@link Target#metrics} must tolerate.
     */
    public void report(MetricSink sink) {
        DeviceInfo info;
        Table table;
        int running;
        state.lock();
        try {
            info = info();
            table = live;
            running = inFlight;
        } finally {
            state.unlock();
        }
        MetricSink dev = sink.withLabels("device", name);
        dev.gauge("tiercache_device_suspended", "1 while the device is suspended.", info.suspended() ? 1 : 0);
        dev.gauge("tiercache_device_open_count", "Open references: frontend connections and stacked devices.",
                info.openCount());
        dev.gauge("tiercache_device_size_bytes", "Size of the live table.", info.sizeSectors() * 512);
        dev.counter("tiercache_device_events_total", "Device events raised (dmsetup info's event number).",
                info.eventNr());
        dev.gauge("tiercache_device_in_flight", "Requests inside the live table now.", running);
        stats.report(dev);
        if (table != null) {
            for (Table.Entry e : table.entries()) {
                try {
                    e.target().metrics(dev.withLabels("start", Long.toString(e.spec().start())));
                } catch (RuntimeException ex) {
                    // a target torn down under the scrape: its samples are simply missing this time
                }
            }
        }
    }

    /** See {@link Table#reportsZeroes()}; for the live table, without taking the lock. */
    boolean reportsZeroes() {
        return liveReportsZeroes;
    }

    Table live() {
        state.lock();
        try {
            return live;
        } finally {
            state.unlock();
        }
    }

    Table inactive() {
        state.lock();
        try {
            return inactive;
        } finally {
            state.unlock();
        }
    }

    boolean isSuspended() {
        state.lock();
        try {
            return suspended;
        } finally {
            state.unlock();
        }
    }

    int openCount() {
        state.lock();
        try {
            return openCount;
        } finally {
            state.unlock();
        }
    }
}
