package io.tiercache.core.cache;

import io.tiercache.spi.metrics.MetricSink;
import java.io.IOException;
import java.util.Locale;

/**
 * The cache target's metrics: what the status line shows (target-semantics §2.1), as samples a
 * monitoring system can scrape — without the commit that {@code status} does first, so a scrape
 * never writes metadata.
 */
final class CacheMetrics {
    private CacheMetrics() {}

    static void report(MetricSink sink, StatusLine.Settings s, StatusLine.Parts p, long cacheSize) {
        MetadataMode mode = p.modes().mode();
        for (MetadataMode m : MetadataMode.values()) {
            sink.gauge("tiercache_cache_metadata_mode", "1 for the metadata's current mode (write, read-only, fail).",
                    m == mode ? 1 : 0, "mode", m.description());
        }
        sink.gauge("tiercache_cache_io_mode", "1 for the cache's io mode.", 1, "mode",
                s.mode().word().toLowerCase(Locale.ROOT));
        sink.gauge("tiercache_cache_needs_check", "1 while the metadata's needs_check flag is set.",
                p.modes().needsCheckForStatus() ? 1 : 0);
        sink.gauge("tiercache_cache_block_size_bytes", "Size of one cache block.", s.blockSectors() * 512);
        sink.gauge("tiercache_cache_blocks", "Blocks of the cache device.", cacheSize);
        sink.gauge("tiercache_cache_blocks_used", "Cache blocks holding (or about to hold) an origin block.",
                p.policy().residency());
        sink.gauge("tiercache_cache_dirty_blocks", "Cache blocks newer than the origin.", p.dirty().count());
        sink.gauge("tiercache_cache_migrations_in_flight", "Promotions, demotions and writebacks copying now.",
                p.worker().migrationsInFlight());
        sink.gauge("tiercache_cache_migration_threshold_bytes", "The migration_threshold setting.",
                p.worker().migrationThreshold() * 512);
        p.stats().report(sink);
        if (mode == MetadataMode.FAIL) {
            return; // every metadata call fails fast now
        }
        try {
            StatusLine.MetadataUsage md = StatusLine.MetadataUsage.of(p.metadata());
            sink.gauge("tiercache_cache_metadata_blocks", "4 KiB blocks of the metadata device that can be used.",
                    md.total());
            sink.gauge("tiercache_cache_metadata_blocks_used", "Metadata blocks in use.", md.used());
        } catch (IOException | RuntimeException e) {
            // left out, as the status line prints "Error"
        }
    }
}
