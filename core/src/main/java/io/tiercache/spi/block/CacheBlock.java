package io.tiercache.spi.block;

/**
 * A cache block (cblock): an index into the cache device in units of the cache block size.
 * A distinct type, like the kernel's {@code __bitwise} block typedefs, so the three kinds of block
 * number cannot be mixed up.
 */
public record CacheBlock(long value) implements Comparable<CacheBlock> {
    public CacheBlock {
        if (value < 0) {
            throw new IllegalArgumentException("negative CacheBlock: " + value);
        }
    }

    public static CacheBlock of(long value) {
        return new CacheBlock(value);
    }

    @Override
    public int compareTo(CacheBlock o) {
        return Long.compare(value, o.value);
    }

    @Override
    public String toString() {
        return Long.toString(value);
    }
}
