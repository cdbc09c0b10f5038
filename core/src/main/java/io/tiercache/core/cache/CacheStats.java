package io.tiercache.core.cache;

import io.tiercache.spi.metrics.MetricSink;
import io.tiercache.spi.metadata.MetadataStats;
import java.util.concurrent.atomic.LongAdder;

/**
 * The status counters (target-semantics §2.2). They are 32-bit and wrap in the kernel, so they are
 * printed and persisted modulo 2^32. Read/write hits and misses are loaded from the metadata at
 * construction and saved at postsuspend; promotions and demotions start at zero.
 */
final class CacheStats {
    private static final long U32 = 0xFFFF_FFFFL;

    private final LongAdder readHits = new LongAdder();
    private final LongAdder readMisses = new LongAdder();
    private final LongAdder writeHits = new LongAdder();
    private final LongAdder writeMisses = new LongAdder();
    private final LongAdder demotions = new LongAdder();
    private final LongAdder promotions = new LongAdder();

    void load(MetadataStats s) {
        readHits.add(s.readHits() & U32);
        readMisses.add(s.readMisses() & U32);
        writeHits.add(s.writeHits() & U32);
        writeMisses.add(s.writeMisses() & U32);
    }

    void hit(boolean write) {
        (write ? writeHits : readHits).increment();
    }

    void miss(boolean write) {
        (write ? writeMisses : readMisses).increment();
    }

    void demotion() {
        demotions.increment();
    }

    void promotion() {
        promotions.increment();
    }

    MetadataStats persisted() {
        return new MetadataStats(u32(readHits), u32(readMisses), u32(writeHits), u32(writeMisses));
    }

    /** Fields 5 to 10 of the status line. */
    void appendCounters(StringBuilder sb) {
        for (LongAdder a : new LongAdder[] {readHits, readMisses, writeHits, writeMisses, demotions, promotions}) {
            sb.append(u32(a)).append(' ');
        }
    }

    /**
     * The same counters for a scrape, not wrapped at 2^32 (a wrap would read as a counter reset).
     * Hits and misses continue from the values saved in the metadata.
     */
    void report(MetricSink sink) {
        sink.counter("tiercache_cache_read_hits_total", "Reads served from the cache device.", readHits.sum());
        sink.counter("tiercache_cache_read_misses_total", "Reads served from the origin.", readMisses.sum());
        sink.counter("tiercache_cache_write_hits_total", "Writes to blocks in the cache.", writeHits.sum());
        sink.counter("tiercache_cache_write_misses_total", "Writes to blocks not in the cache.", writeMisses.sum());
        sink.counter("tiercache_cache_promotions_total", "Blocks copied into the cache since the table was loaded.",
                promotions.sum());
        sink.counter("tiercache_cache_demotions_total", "Blocks dropped from the cache since the table was loaded.",
                demotions.sum());
    }

    private static long u32(LongAdder a) {
        return a.sum() & U32;
    }
}
