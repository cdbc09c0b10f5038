package io.tiercache.core.dm;

import io.tiercache.spi.block.BlockIo;
import io.tiercache.spi.frontend.BlockStatusContext;
import io.tiercache.spi.frontend.Export;
import io.tiercache.spi.frontend.ExtentSink;
import io.tiercache.spi.frontend.FileSpan;
import io.tiercache.spi.frontend.ReadRegions;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * An open reference to a mapped device, used both by tables that stack on it and by frontends.
 * Its I/O goes through the device's suspend gate to whatever table is live.
 */
public final class DeviceHandle implements Export, DeviceResolver.Opened {
    private final MappedDevice device;
    private final AtomicBoolean closed = new AtomicBoolean();

    DeviceHandle(MappedDevice device) {
        this.device = device;
    }

    @Override
    public String name() {
        return device.name();
    }

    @Override
    public boolean readOnly() {
        return false;
    }

    /**
     * Every handle of a device goes through the same live table, and a flush reaches all of its
     * targets, so it covers the writes completed through any other handle as well.
     */
    @Override
    public boolean multiConn() {
        return true;
    }

    @Override
    public BlockIo io() {
        return this;
    }

    @Override
    public long size() {
        Table t = device.live();
        return t == null ? 0 : t.sizeBytes();
    }

    @Override
    public void read(ByteBuffer dst, long offset) throws IOException {
        device.submit(Bio.read(dst, offset));
        dst.position(dst.limit());
    }

    @Override
    public void write(ByteBuffer src, long offset, int flags) throws IOException {
        device.submit(Bio.write(src, offset, flags));
        src.position(src.limit());
    }

    @Override
    public void flush() throws IOException {
        device.submit(Bio.flush());
    }

    @Override
    public void discard(long offset, long length) throws IOException {
        device.submit(new Bio(Bio.Op.DISCARD, offset, length, null, 0));
    }

    @Override
    public void writeZeroes(long offset, long length, int flags) throws IOException {
        device.submit(new Bio(Bio.Op.WRITE_ZEROES, offset, length, null, flags));
    }

    @Override
    public boolean reportsZeroes() {
        return device.reportsZeroes();
    }

    /**
     * Asks each target the range covers, in order, through the suspend gate like any I/O. A target
     * that describes less than its part ends the answer there (the client asks again for the rest).
     */
    @Override
    public void blockStatus(BlockStatusContext context, long offset, long length, ExtentSink sink)
            throws IOException {
        Table table = device.enter();
        try {
            forEachPart(table, offset, length, (target, at, len) -> {
                PartSink part = new PartSink(sink, len);
                target.blockStatus(context, at, len, part);
                return !part.stopped && part.covered == len;
            });
        } finally {
            device.exit();
        }
    }

    /** One target's part of a range, at offsets relative to the target; false stops the walk. */
    private interface PartVisitor {
        boolean visit(Target target, long offset, long length) throws IOException;
    }

    /** Visits the targets {@code [offset, offset + length)} covers, in order, as Table.map splits I/O. */
    private static boolean forEachPart(Table table, long offset, long length, PartVisitor visitor)
            throws IOException {
        long end = offset + length;
        for (Table.Entry e : table.entries()) {
            long from = Math.max(offset, e.startByte());
            long to = Math.min(end, e.endByte());
            if (from < to && !visitor.visit(e.target(), from - e.startByte(), to - from)) {
                return false;
            }
        }
        return true;
    }

    /** Forwards one target's extents, clipped to its part of the range. */
    private static final class PartSink implements ExtentSink {
        private final ExtentSink downstream;
        private final long length;
        long covered;
        boolean stopped;

        PartSink(ExtentSink downstream, long length) {
            this.downstream = downstream;
            this.length = length;
        }

        @Override
        public boolean extent(long extentLength, int flags) {
            if (extentLength <= 0 || covered >= length) {
                return false;
            }
            long clipped = Math.min(extentLength, length - covered);
            covered += clipped;
            if (!downstream.extent(clipped, flags)) {
                stopped = true;
                return false;
            }
            return covered < length;
        }
    }

    @Override
    public void prefetch(long offset, long length) throws IOException {
        Table table = device.enter();
        try {
            forEachPart(table, offset, length, (target, at, len) -> {
                target.prefetch(at, len);
                return true;
            });
        } finally {
            device.exit();
        }
    }

    /**
     * Zero copy where every target the range covers maps it straight onto a file (linear over a
     * file). The request stays counted in flight until the regions are closed: a suspend waits
     * for the transfer, so a reload cannot destroy the table, and close the files, under it.
     */
    @Override
    public Optional<ReadRegions> mapForRead(long offset, long length) throws IOException {
        Table table = device.enter();
        boolean held = false;
        try {
            List<FileSpan> spans = spans(table, offset, length);
            if (spans == null) {
                return Optional.empty();
            }
            held = true;
            return Optional.of(new Held(spans, length, System.nanoTime()));
        } finally {
            if (!held) {
                device.exit();
            }
        }
    }

    /** The spans of the range, or null if some part is not a plain file (or the file shrank). */
    private static List<FileSpan> spans(Table table, long offset, long length) throws IOException {
        long end = offset + length;
        if (offset < 0 || length <= 0 || end > table.sizeBytes() || end < offset) {
            return null; // let read() report the error
        }
        List<FileSpan> spans = new ArrayList<>(2);
        boolean all = forEachPart(table, offset, length, (target, at, len) -> {
            FileSpan s = target.directAccess(at, len);
            // read() turns a tail beyond a shrunk file into zeroes; sendfile can't
            return s != null && s.position() + s.length() <= s.channel().size() && spans.add(s);
        });
        return all ? spans : null;
    }

    /** The in-flight hold of one zero-copy read; closing it ends the request. */
    private final class Held implements ReadRegions {
        private final List<FileSpan> spans;
        private final long length;
        private final long startNanos;
        private final AtomicBoolean released = new AtomicBoolean();

        Held(List<FileSpan> spans, long length, long startNanos) {
            this.spans = spans;
            this.length = length;
            this.startNanos = startNanos;
        }

        @Override
        public List<FileSpan> spans() {
            return spans;
        }

        @Override
        public void close() {
            if (released.compareAndSet(false, true)) {
                device.exit();
                device.accountRead(length, startNanos);
            }
        }
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            device.close();
        }
    }
}
