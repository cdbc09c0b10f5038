package io.tiercache.frontend.nbd;

import static io.tiercache.frontend.nbd.NbdConstants.CMD_BLOCK_STATUS;
import static io.tiercache.frontend.nbd.NbdConstants.CMD_READ;
import static io.tiercache.frontend.nbd.NbdConstants.CMD_WRITE;
import static io.tiercache.frontend.nbd.NbdConstants.REQUEST_MAGIC;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.tiercache.frontend.nbd.Negotiated.SelectedContext;
import io.tiercache.spi.frontend.BlockStatusContext;
import io.tiercache.spi.frontend.Export;
import io.tiercache.spi.frontend.ExtentSink;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The per-request CPU cost of the codec, without sockets or threads: framing requests (headers
 * alone, and 4 KiB writes whose payload is copied out of the cumulation), validating them, and
 * building replies (simple and structured 4 KiB reads from memory, a block status of 256 extents).
 * Run with {@code ./mvnw -B -pl frontend-nbd -Pjmh test-compile exec:exec}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class CodecBenchmark {
    static final int BATCH = 64;
    static final int SIZE = 16 << 20;

    private final ByteBufAllocator alloc = PooledByteBufAllocator.DEFAULT;
    private EmbeddedChannel decoder;
    private ByteBuf readHeaders;
    private ByteBuf writes4k;
    private ReadCommand simple;
    private ReadCommand structured;
    private BlockStatusCommand blockStatus;
    private NbdRequest read4k;
    private NbdRequest status1m;
    private Negotiated negotiated;

    @Setup
    public void setUp() {
        decoder = new EmbeddedChannel(new TransmissionDecoder());
        readHeaders = Unpooled.directBuffer();
        writes4k = Unpooled.directBuffer();
        for (int i = 0; i < BATCH; i++) {
            header(readHeaders, CMD_READ, i, 4096L * i, 4096);
            header(writes4k, CMD_WRITE, i, 4096L * i, 4096).writeZero(4096);
        }
        Export export = new MemoryExport();
        negotiated = new Negotiated(true, List.of(new SelectedContext(1, BlockStatusContext.ALLOCATION)), false);
        simple = new ReadCommand(export, Negotiated.PLAIN, Integer.MAX_VALUE);
        structured = new ReadCommand(export, negotiated, Integer.MAX_VALUE);
        blockStatus = new BlockStatusCommand(export, negotiated);
        read4k = new NbdRequest(0, CMD_READ, 7, 8192, 4096, null, 0);
        status1m = new NbdRequest(0, CMD_BLOCK_STATUS, 8, 0, 1 << 20, null, 0);
    }

    @TearDown
    public void tearDown() {
        decoder.finishAndReleaseAll();
        readHeaders.release();
        writes4k.release();
    }

    private static ByteBuf header(ByteBuf buf, int type, long cookie, long offset, int length) {
        return buf.writeInt(REQUEST_MAGIC).writeShort(0).writeShort(type).writeLong(cookie).writeLong(offset).writeInt(length);
    }

    /** 64 READ headers framed; the time is per batch. */
    @Benchmark
    public void decodeReadHeaders(Blackhole bh) {
        decode(readHeaders, bh);
    }

    /** 64 WRITEs of 4 KiB framed, each payload copied into its own pooled buffer. */
    @Benchmark
    public void decodeWrites4k(Blackhole bh) {
        decode(writes4k, bh);
    }

    private void decode(ByteBuf batch, Blackhole bh) {
        decoder.writeInbound(batch.retainedDuplicate());
        for (Object o; (o = decoder.readInbound()) != null; ) {
            bh.consume(o);
            ((NbdRequest) o).release();
        }
    }

    @Benchmark
    public int validate() {
        return RequestValidator.check(read4k, SIZE, false, negotiated);
    }

    @Benchmark
    public void simpleRead4k() throws Exception {
        ((ByteBuf) simple.run(alloc, read4k)).release();
    }

    @Benchmark
    public void structuredRead4k() throws Exception {
        ((ByteBuf) structured.run(alloc, read4k)).release();
    }

    /** BLOCK_STATUS over 1 MiB answered in 256 extents of alternating state. */
    @Benchmark
    public void blockStatus256Extents() throws Exception {
        blockStatus.run(alloc, status1m).release();
    }

    /** A memory-backed export; block status alternates between data and zero every 4 KiB. */
    static final class MemoryExport implements Export {
        private final ByteBuffer data = ByteBuffer.allocateDirect(SIZE);

        @Override
        public String name() {
            return "bench";
        }

        @Override
        public boolean readOnly() {
            return false;
        }

        @Override
        public void close() {}

        @Override
        public long size() {
            return SIZE;
        }

        @Override
        public void read(ByteBuffer dst, long offset) {
            dst.put(data.slice((int) offset, dst.remaining()));
        }

        @Override
        public void write(ByteBuffer src, long offset, int flags) {
            data.put((int) offset, src, src.position(), src.remaining());
            src.position(src.limit());
        }

        @Override
        public void flush() {}

        @Override
        public void discard(long offset, long length) {}

        @Override
        public void writeZeroes(long offset, long length, int flags) {}

        @Override
        public void blockStatus(BlockStatusContext context, long offset, long length, ExtentSink sink) {
            if (length < (1 << 20)) {
                sink.extent(length, 0); // reads: plain data, as most ranges are
                return;
            }
            for (long done = 0; done < length && sink.extent(4096, (int) ((done >> 12) & 1) * 2); done += 4096) {
                // alternating data / zero extents
            }
        }
    }
}
