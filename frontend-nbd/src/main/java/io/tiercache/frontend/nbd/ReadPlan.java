package io.tiercache.frontend.nbd;

import static io.tiercache.spi.frontend.BlockStatusContext.ZERO;

import io.tiercache.spi.frontend.BlockStatusContext;
import io.tiercache.spi.frontend.Export;
import io.tiercache.spi.frontend.ExtentSink;
import java.io.IOException;
import java.util.Arrays;

/**
 * Splits a structured read into data to read and zeroes to send as {@code OFFSET_HOLE} chunks,
 * from what the export knows about the range ({@code base:allocation}'s ZERO flag). Most ranges
 * have no known zeroes; for them no piece list is ever allocated.
 */
final class ReadPlan implements ExtentSink {
    /** More pieces than this are not worth a chunk each: the rest of the range is read as data. */
    static final int MAX_PIECES = 64;

    private final long length;
    private long covered;
    private int count;
    private long[] lengths;
    private boolean[] zero;

    private ReadPlan(long length) {
        this.length = length;
    }

    /** The plan for the range, or null when all of it is plain data (one data chunk). */
    static ReadPlan of(Export export, long offset, long length) throws IOException {
        ReadPlan plan = new ReadPlan(length);
        export.blockStatus(BlockStatusContext.ALLOCATION, offset, length, plan);
        if (plan.lengths == null) {
            return null;
        }
        if (plan.covered < length) {
            plan.add(length - plan.covered, false); // what the export did not describe is data
        }
        return plan;
    }

    @Override
    public boolean extent(long extentLength, int flags) {
        if (extentLength <= 0) {
            return false; // a broken answer: treat the rest as data
        }
        long clipped = Math.min(extentLength, length - covered);
        boolean isZero = (flags & ZERO) != 0;
        if (lengths == null && !isZero) {
            covered += clipped; // still one data piece from the start: nothing to record yet
            return covered < length;
        }
        if (lengths == null) {
            lengths = new long[8];
            zero = new boolean[8];
            if (covered > 0) {
                add(covered, false);
            }
        }
        if (count >= MAX_PIECES && zero[count - 1] != isZero) {
            return false; // enough pieces; ReadPlan.of() adds the rest as data
        }
        add(clipped, isZero);
        covered += clipped;
        return covered < length;
    }

    private void add(long pieceLength, boolean isZero) {
        if (count > 0 && zero[count - 1] == isZero) {
            lengths[count - 1] += pieceLength;
            return;
        }
        if (count == lengths.length) {
            lengths = Arrays.copyOf(lengths, count * 2);
            zero = Arrays.copyOf(zero, count * 2);
        }
        lengths[count] = pieceLength;
        zero[count] = isZero;
        count++;
    }

    int pieces() {
        return count;
    }

    long length(int piece) {
        return lengths[piece];
    }

    boolean isZero(int piece) {
        return zero[piece];
    }
}
