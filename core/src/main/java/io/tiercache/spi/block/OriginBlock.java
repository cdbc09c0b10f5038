package io.tiercache.spi.block;

/**
 * A origin block (oblock): an index into the origin device in units of the cache block size.
 * A distinct type, like the kernel's {@code __bitwise} block typedefs, so the three kinds of block
 * number cannot be mixed up.
 */
public record OriginBlock(long value) implements Comparable<OriginBlock> {
    public OriginBlock {
        if (value < 0) {
            throw new IllegalArgumentException("negative OriginBlock: " + value);
        }
    }

    public static OriginBlock of(long value) {
        return new OriginBlock(value);
    }

    @Override
    public int compareTo(OriginBlock o) {
        return Long.compare(value, o.value);
    }

    @Override
    public String toString() {
        return Long.toString(value);
    }
}
