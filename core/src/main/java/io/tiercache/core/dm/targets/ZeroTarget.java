package io.tiercache.core.dm.targets;

import io.tiercache.core.dm.Bio;
import io.tiercache.core.dm.Target;
import io.tiercache.core.dm.TargetContext;
import io.tiercache.core.dm.TargetException;
import io.tiercache.core.dm.TargetType;
import io.tiercache.spi.frontend.BlockStatusContext;
import io.tiercache.spi.frontend.ExtentSink;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * {@code zero}: reads return zeroes; writes, discards and write-zeroes are accepted and dropped.
 * Takes no arguments. Flushes succeed (there is nothing to make durable).
 */
public final class ZeroTarget implements Target {
    private static final ZeroTarget INSTANCE = new ZeroTarget();

    private ZeroTarget() {}

    @Override
    public void map(Bio bio) {
        if (bio.op() == Bio.Op.READ) {
            fill(bio.data());
        }
    }

    @Override
    public boolean reportsZeroes() {
        return true;
    }

    /** Nothing is stored: every range is a hole that reads as zeroes. */
    @Override
    public void blockStatus(BlockStatusContext context, long offset, long length, ExtentSink sink) {
        sink.extent(length, context == BlockStatusContext.ALLOCATION
                ? BlockStatusContext.HOLE | BlockStatusContext.ZERO : 0);
    }

    /** Zeroes {@code dst} from its position to its limit without moving either. */
    private static void fill(ByteBuffer dst) {
        // The segment view covers exactly position..limit, and fill is a bulk memset.
        MemorySegment.ofBuffer(dst).fill((byte) 0);
    }

    /** The registered type. */
    public static final class Type implements TargetType {
        @Override
        public String name() {
            return "zero";
        }

        @Override
        public int[] version() {
            return new int[] {1, 2, 0};
        }

        @Override
        public Target construct(TargetContext ctx, List<String> args) throws TargetException {
            if (!args.isEmpty()) {
                throw new TargetException("No arguments required");
            }
            return INSTANCE;
        }
    }
}
