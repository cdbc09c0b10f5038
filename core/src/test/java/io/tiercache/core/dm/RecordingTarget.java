package io.tiercache.core.dm;

import io.tiercache.spi.block.Errno;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A test target that records its hooks in a shared journal ({@code "<id>:<hook>"}), can refuse
 * preresume, and can hold I/O until released. Table line: {@code <start> <len> rec <id> [refuse]}.
 */
final class RecordingTarget implements Target {
    final String id;
    final List<String> journal;
    final boolean refuse;
    final TargetContext ctx;
    volatile CountDownLatch gate = new CountDownLatch(0);
    /** A device below this one ({@code rec <id> on <name>}), read at postsuspend like a final commit. */
    io.tiercache.spi.block.BlockIo lower;

    RecordingTarget(String id, List<String> journal, boolean refuse, TargetContext ctx) {
        this.id = id;
        this.journal = journal;
        this.refuse = refuse;
        this.ctx = ctx;
    }

    @Override
    public void map(Bio bio) throws IOException {
        journal.add(id + ":map");
        try {
            gate.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        journal.add(id + ":mapped");
    }

    @Override
    public void presuspend() {
        journal.add(id + ":presuspend");
    }

    @Override
    public void postsuspend() {
        journal.add(id + ":postsuspend");
        if (lower != null) {
            try {
                lower.read(java.nio.ByteBuffer.allocate(512), 0);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
    }

    @Override
    public void preresume() throws DmException {
        journal.add(id + ":preresume");
        if (refuse) {
            throw new DmException(Errno.EBUSY, "device-mapper: rec: refusing to resume");
        }
    }

    @Override
    public void resume() {
        journal.add(id + ":resume");
    }

    @Override
    public String status() {
        return id;
    }

    @Override
    public String message(List<String> words) throws DmException {
        if (words.equals(List.of("event"))) {
            ctx.raiseEvent();
            return "";
        }
        return "echo " + String.join(" ", words);
    }

    @Override
    public void dtr() {
        journal.add(id + ":dtr");
    }

    /** The type; keeps the last constructed target for the test to poke at. */
    static final class Type implements TargetType {
        final List<String> journal = new CopyOnWriteArrayList<>();
        volatile RecordingTarget last;

        @Override
        public String name() {
            return "rec";
        }

        @Override
        public int[] version() {
            return new int[] {1, 0, 0};
        }

        @Override
        public Target construct(TargetContext ctx, List<String> args) throws TargetException {
            if (args.isEmpty() || args.size() > 3) {
                throw new TargetException("Invalid argument count");
            }
            journal.add(args.getFirst() + ":ctr");
            last = new RecordingTarget(args.getFirst(), journal, args.size() == 2 && args.get(1).equals("refuse"), ctx);
            if (args.size() == 3 && args.get(1).equals("on")) {
                last.lower = ctx.getDevice(args.get(2), "Device lookup failed");
            }
            return last;
        }
    }
}
