package io.tiercache.core.dm.targets;

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
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.LongSupplier;

/**
 * {@code flakey <dev path> <offset> <up interval> <down interval> [<num_features> [<feature args>]]}:
 * maps like {@code linear}, but for {@code <down interval>} seconds out of every
 * {@code up + down}, counted from table construction, I/O misbehaves as the features say:
 * {@code error_reads}, {@code drop_writes}, {@code error_writes},
 * {@code corrupt_bio_byte <Nth_byte> <r|w> <value> <flags>}, {@code random_read_corrupt <p>} and
 * {@code random_write_corrupt <p>} (p in billionths). Without features, everything fails while down.
 *
 * <p>Flushes, discards and write-zeroes count as writes, as the kernel sees them (an empty flush is a
 * write with REQ_PREFLUSH); only reads and writes carry data that can be corrupted.
 */
public final class FlakeyTarget implements Target {
    /** Kernel {@code bi_opf} bits, for matching {@code corrupt_bio_byte}'s flags mask. */
    private static final long REQ_OP_WRITE = 1;
    private static final long REQ_FUA = 1L << 17;
    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private final BlockIo dev;
    private final long startByte;
    private final long upSeconds;
    private final long periodSeconds;
    private final FlakeyFeatures features;
    private final LongSupplier nanoClock;
    private final long createdNanos;

    private FlakeyTarget(BlockIo dev, long startByte, long up, long period, FlakeyFeatures features,
            LongSupplier nanoClock, long createdNanos) {
        this.dev = dev;
        this.startByte = startByte;
        this.upSeconds = up;
        this.periodSeconds = period;
        this.features = features;
        this.nanoClock = nanoClock;
        this.createdNanos = createdNanos;
    }

    @Override
    public void map(Bio bio) throws IOException {
        if (!isDown()) {
            Bios.submit(dev, bio, startByte + bio.offset());
        } else if (bio.op() == Bio.Op.READ) {
            readWhileDown(bio);
        } else {
            writeWhileDown(bio);
        }
    }

    /** Whole seconds since construction, modulo the period, past the up interval. */
    private boolean isDown() {
        long elapsed = Math.max(0, nanoClock.getAsLong() - createdNanos) / NANOS_PER_SECOND;
        return elapsed % periodSeconds >= upSeconds;
    }

    private void readWhileDown(Bio bio) throws IOException {
        FlakeyFeatures f = features;
        if (f.errorReads()) {
            throw new BlockIoException(Errno.EIO, "flakey: read at " + bio.offset() + " failed while down");
        }
        Bios.submit(dev, bio, startByte + bio.offset());
        // Reads are corrupted after they complete, in the data the caller receives.
        ByteBuffer data = bio.data();
        if (f.corruptsReads() && flagsMatch(bio)) {
            corrupt(data, f.corruptByte() - 1, f.corruptValue());
        }
        if (f.randomReadCorrupt() > 0 && chance(f.randomReadCorrupt())) {
            corruptRandomByte(data);
        }
    }

    private void writeWhileDown(Bio bio) throws IOException {
        FlakeyFeatures f = features;
        if (f.dropWrites()) {
            return;
        }
        if (f.errorWrites()) {
            throw new BlockIoException(Errno.EIO,
                    "flakey: " + bio.op() + " at " + bio.offset() + " failed while down");
        }
        if (bio.op() == Bio.Op.WRITE) {
            boolean fixed = f.corruptsWrites() && flagsMatch(bio);
            boolean random = f.randomWriteCorrupt() > 0 && chance(f.randomWriteCorrupt());
            if (fixed || random) {
                writeCorrupted(bio, fixed, random);
                return;
            }
        }
        Bios.submit(dev, bio, startByte + bio.offset());
    }

    /**
     * Writes a corrupted copy: the caller's buffer must stay intact (it may be retried or checked),
     * which is why the kernel clones the bio's pages too. Rare, so the copy is fine.
     */
    private void writeCorrupted(Bio bio, boolean fixed, boolean random) throws IOException {
        ByteBuffer copy = ByteBuffer.allocate(bio.data().remaining());
        copy.put(bio.data().duplicate()).flip();
        if (fixed) {
            corrupt(copy, features.corruptByte() - 1, features.corruptValue());
        }
        if (random) {
            corruptRandomByte(copy);
        }
        Bios.submit(dev, new Bio(Bio.Op.WRITE, bio.offset(), bio.length(), copy, bio.flags()),
                startByte + bio.offset());
    }

    /** Overwrites byte {@code index} past the buffer's position, if the request is that long. */
    private static void corrupt(ByteBuffer data, long index, byte value) {
        if (index < data.remaining()) {
            data.put(data.position() + (int) index, value);
        }
    }

    private static void corruptRandomByte(ByteBuffer data) {
        if (data.hasRemaining()) {
            ThreadLocalRandom rnd = ThreadLocalRandom.current();
            corrupt(data, rnd.nextInt(data.remaining()), (byte) rnd.nextInt(256));
        }
    }

    private static boolean chance(int billionths) {
        return ThreadLocalRandom.current().nextInt(FlakeyFeatures.PROBABILITY_BASE) < billionths;
    }

    /** Whether the request's kernel-style {@code bi_opf} has every bit of the flags mask. */
    private boolean flagsMatch(Bio bio) {
        long mask = features.corruptFlags();
        return (kernelOpf(bio) & mask) == mask;
    }

    /** The op and flags the kernel would carry for this data request (READ is op 0). */
    private static long kernelOpf(Bio bio) {
        if (bio.op() != Bio.Op.WRITE) {
            return 0;
        }
        return REQ_OP_WRITE | ((bio.flags() & BlockIo.FUA) != 0 ? REQ_FUA : 0);
    }

    /** The kernel prints nothing for flakey's INFO status. */
    @Override
    public String status() {
        return "";
    }

    /** The registered type. */
    public static final class Type implements TargetType {
        private static final long UINT_MAX = 0xFFFF_FFFFL;

        private final LongSupplier nanoClock;

        public Type() {
            this(System::nanoTime);
        }

        /** With a clock in nanoseconds, so tests can move time instead of sleeping. */
        Type(LongSupplier nanoClock) {
            this.nanoClock = nanoClock;
        }

        @Override
        public String name() {
            return "flakey";
        }

        @Override
        public int[] version() {
            return new int[] {1, 5, 0};
        }

        @Override
        public Target construct(TargetContext ctx, List<String> args)
                throws TargetException, DmException {
            if (args.size() < 4) {
                throw new TargetException("Invalid argument count");
            }
            // The intervals count from the start of the ctr, as the kernel samples jiffies first.
            long created = nanoClock.getAsLong();
            long offset = Args.sector(args.get(1), "Invalid device sector");
            long up = Args.unsigned(args.get(2), UINT_MAX, "Invalid up interval");
            long down = Args.unsigned(args.get(3), UINT_MAX, "Invalid down interval");
            // The kernel adds in 32 bits: a sum that wraps to exactly 0 reads as zero, not overflow.
            long period = (up + down) & UINT_MAX;
            if (period == 0) {
                throw new TargetException("Total (up + down) interval is zero");
            }
            if (period < up) {
                throw new TargetException("Interval overflow");
            }
            FlakeyFeatures features = FlakeyFeatures.parse(args, 4);
            BlockIo dev = ctx.getDevice(args.get(0), "Device lookup failed");
            // Too small is a table-level refusal, as the kernel's area check is.
            ctx.requireArea(args.get(0), dev, offset, ctx.length());
            return new FlakeyTarget(dev, offset * 512, up, period, features, nanoClock, created);
        }
    }
}
