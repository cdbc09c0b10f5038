package io.tiercache.spi.block;

/**
 * A discard block (dblock): an index into the origin in units of the discard block size.
 * A distinct type, like the kernel's {@code __bitwise} block typedefs, so the three kinds of block
 * number cannot be mixed up.
 */
public record DiscardBlock(long value) implements Comparable<DiscardBlock> {
    public DiscardBlock {
        if (value < 0) {
            throw new IllegalArgumentException("negative DiscardBlock: " + value);
        }
    }

    public static DiscardBlock of(long value) {
        return new DiscardBlock(value);
    }

    @Override
    public int compareTo(DiscardBlock o) {
        return Long.compare(value, o.value);
    }

    @Override
    public String toString() {
        return Long.toString(value);
    }
}
