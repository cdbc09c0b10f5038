package io.tiercache.spi.metadata;

/** The hit and miss counters the superblock keeps (32-bit, wrapping, as the kernel's). */
public record MetadataStats(long readHits, long readMisses, long writeHits, long writeMisses) {
    public static final MetadataStats ZERO = new MetadataStats(0, 0, 0, 0);
}
