package io.tiercache.core.cache;

import io.tiercache.core.dm.Bio;
import io.tiercache.core.dm.DmException;
import io.tiercache.core.dm.Target;
import io.tiercache.core.dm.TargetContext;
import io.tiercache.core.dm.TargetException;
import io.tiercache.core.dm.TargetType;
import io.tiercache.spi.block.BlockIo;
import io.tiercache.spi.block.BlockIoException;
import io.tiercache.spi.block.Errno;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A test target {@code probe <file> [<offset>]}: linear over a file, with what the tests need to see and
 * to break: I/O counters per operation (no I/O when idle), a kill switch (the process died: from
 * now on nothing reaches the file), injected write failures, and slow reads.
 */
final class ProbeTarget implements Target {
    /** The observable and controllable state of one probe device, by device name. */
    static final class Probe {
        final AtomicLong reads = new AtomicLong();
        final AtomicLong writes = new AtomicLong();
        final AtomicLong flushes = new AtomicLong();
        final AtomicLong discards = new AtomicLong();
        final AtomicInteger failWrites = new AtomicInteger();
        volatile boolean killed;
        volatile long readDelayMillis;

        long total() {
            return reads.get() + writes.get() + flushes.get() + discards.get();
        }
    }

    /** The registered type; one per simulated process. */
    static final class Type implements TargetType {
        private final Map<String, Probe> probes = new ConcurrentHashMap<>();

        Probe probe(String device) {
            return probes.computeIfAbsent(device, d -> new Probe());
        }

        void killAll() {
            probes.values().forEach(p -> p.killed = true);
        }

        @Override
        public String name() {
            return "probe";
        }

        @Override
        public int[] version() {
            return new int[] {1, 0, 0};
        }

        @Override
        public Target construct(TargetContext ctx, List<String> args) throws TargetException, DmException {
            if (args.isEmpty() || args.size() > 2) {
                throw new TargetException("Invalid argument count");
            }
            long offset = args.size() == 2 ? Long.parseLong(args.get(1)) : 0;
            BlockIo dev = ctx.getDevice(args.get(0), "Device lookup failed");
            ctx.requireArea(args.get(0), dev, offset, ctx.length());
            return new ProbeTarget(dev, offset * 512, probe(ctx.deviceName()));
        }
    }

    private final BlockIo dev;
    private final long startByte;
    private final Probe probe;

    private ProbeTarget(BlockIo dev, long startByte, Probe probe) {
        this.dev = dev;
        this.startByte = startByte;
        this.probe = probe;
    }

    @Override
    public void map(Bio bio) throws IOException {
        if (probe.killed) {
            throw new BlockIoException(Errno.EIO, "probe: the process is dead");
        }
        long at = startByte + bio.offset();
        switch (bio.op()) {
            case READ -> {
                probe.reads.incrementAndGet();
                long delay = probe.readDelayMillis;
                if (delay > 0) {
                    sleep(delay);
                }
                dev.read(bio.data().duplicate(), at);
            }
            case WRITE, WRITE_ZEROES -> {
                probe.writes.incrementAndGet();
                if (probe.failWrites.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                    throw new BlockIoException(Errno.EIO, "probe: injected write failure");
                }
                if (bio.op() == Bio.Op.WRITE) {
                    dev.write(bio.data().duplicate(), at, bio.flags());
                } else {
                    dev.writeZeroes(at, bio.length(), bio.flags());
                }
            }
            case FLUSH -> {
                probe.flushes.incrementAndGet();
                dev.flush();
            }
            case DISCARD -> {
                probe.discards.incrementAndGet();
                dev.discard(at, bio.length());
            }
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
