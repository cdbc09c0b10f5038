package io.tiercache.core.cache;

import static io.tiercache.core.cache.CacheStack.filled;
import static io.tiercache.core.metrics.Samples.get;
import static org.assertj.core.api.Assertions.assertThat;

import io.tiercache.core.metrics.PrometheusText;
import io.tiercache.core.metrics.Samples;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The cache target's metrics say what its status line says. */
class CacheMetricsTest extends CacheStackTest {
    static final int BLOCK = 64 << 10;
    static final String L = "{device=\"cache\",start=\"0\"}";

    CacheMetricsTest() {
        super(CacheStack::f);
    }

    private Map<String, Double> scrape() {
        PrometheusText t = new PrometheusText();
        proc.dm.report(t);
        return Samples.parse(t.render());
    }

    private static String l(String label, String value) {
        return L.replace("}", "," + label + "=\"" + value + "\"}");
    }

    @Test
    void countersAndOccupancyEqualTheStatusLine() throws Exception {
        proc.create("1 writeback smq 2 migration_threshold 0");
        proc.write(0, filled(BLOCK, 'A'));          // overwrite promotion: cached, dirty
        proc.write(3L * BLOCK, filled(BLOCK, 'B'));
        proc.read(0, 4096);                          // read hit
        proc.read(10L * BLOCK, 4096);                // read miss
        proc.write(20L * BLOCK, filled(512, 'w'));   // partial write miss
        Map<String, Double> m = scrape();
        Status s = proc.status();
        assertThat(get(m, "tiercache_cache_blocks_used" + L)).isEqualTo(s.used()).isEqualTo(2);
        assertThat(get(m, "tiercache_cache_blocks" + L)).isEqualTo(s.total());
        assertThat(get(m, "tiercache_cache_dirty_blocks" + L)).isEqualTo(s.dirty()).isEqualTo(2);
        assertThat(get(m, "tiercache_cache_read_hits_total" + L)).isEqualTo(s.readHits()).isEqualTo(1);
        assertThat(get(m, "tiercache_cache_read_misses_total" + L)).isEqualTo(s.readMisses()).isEqualTo(1);
        assertThat(get(m, "tiercache_cache_write_hits_total" + L)).isEqualTo(s.writeHits());
        assertThat(get(m, "tiercache_cache_write_misses_total" + L)).isEqualTo(s.writeMisses()).isEqualTo(1);
        assertThat(get(m, "tiercache_cache_promotions_total" + L)).isEqualTo(s.promotions()).isEqualTo(2);
        assertThat(get(m, "tiercache_cache_demotions_total" + L)).isEqualTo(s.demotions());
        assertThat(get(m, "tiercache_cache_metadata_blocks" + L)).isEqualTo(s.mdTotal());
        assertThat(get(m, "tiercache_cache_block_size_bytes" + L)).isEqualTo(s.blockSize() * 512);
        assertThat(get(m, "tiercache_cache_migration_threshold_bytes" + L)).isZero();
        assertThat(get(m, "tiercache_cache_needs_check" + L)).isZero();
        assertThat(get(m, "tiercache_cache_io_mode" + l("mode", "writeback"))).isEqualTo(1);
        assertThat(get(m, "tiercache_cache_metadata_mode" + l("mode", "write"))).isEqualTo(1);
        assertThat(get(m, "tiercache_cache_metadata_mode" + l("mode", "read-only"))).isZero();
        assertThat(get(m, "tiercache_cache_metadata_mode" + l("mode", "fail"))).isZero();
        // the device-level accounting of the same requests, beside the target's own
        assertThat(get(m, "tiercache_device_requests_total{device=\"cache\",op=\"write\"}")).isEqualTo(3);
        assertThat(get(m, "tiercache_device_requests_total{device=\"cache\",op=\"read\"}")).isEqualTo(2);
    }

    @Test
    void metadataUseMatchesTheStatusOnceCommittedAndIsScrapedWhileSuspended() throws Exception {
        proc.create("0 smq 2 migration_threshold 0");
        proc.write(0, filled(BLOCK, 'A'));
        proc.dm.suspend("cache", false);             // commits everything; status then commits nothing
        Status s = proc.status();
        Map<String, Double> m = scrape();
        assertThat(get(m, "tiercache_cache_metadata_blocks_used" + L)).isEqualTo(s.mdUsed()).isPositive();
        assertThat(get(m, "tiercache_device_suspended{device=\"cache\"}")).isEqualTo(1);
        assertThat(get(m, "tiercache_cache_blocks_used" + L)).isEqualTo(1);
        proc.dm.resume("cache");
    }

    @Test
    void aFailedCommitShowsAsReadOnlyWithNeedsCheck() throws Exception {
        proc.create("0 smq 2 migration_threshold 0");
        proc.write(0, filled(BLOCK, 'P'));
        proc.probe("m").failWrites.set(1);
        Status s = proc.status(); // commits, and the commit fails
        assertThat(s.mode()).isEqualTo("ro");
        Map<String, Double> m = scrape();
        assertThat(get(m, "tiercache_cache_metadata_mode" + l("mode", "read-only"))).isEqualTo(1);
        assertThat(get(m, "tiercache_cache_metadata_mode" + l("mode", "write"))).isZero();
        assertThat(get(m, "tiercache_cache_needs_check" + L)).isEqualTo(1);
        assertThat(get(m, "tiercache_cache_io_mode" + l("mode", "writeback"))).isEqualTo(1);
    }

    @Test
    void inFailModeTheMetadataCountsAreLeftOutAndTheRestIsStillReported() throws Exception {
        proc.create("0 smq 2 migration_threshold 0");
        proc.write(0, filled(BLOCK, 'P'));
        proc.dm.load("m", "0 " + stack.meta.toFile().length() / 512 + " error"); // the abort cannot re-read it
        proc.dm.resume("m");
        assertThat(proc.status().line()).endsWith(" cache Fail");
        Map<String, Double> m = scrape();
        assertThat(get(m, "tiercache_cache_metadata_mode" + l("mode", "fail"))).isEqualTo(1);
        assertThat(get(m, "tiercache_cache_io_mode" + l("mode", "writeback"))).isEqualTo(1);
        assertThat(get(m, "tiercache_cache_promotions_total" + L)).isEqualTo(1);
        assertThat(m).doesNotContainKey("tiercache_cache_metadata_blocks" + L);
    }
}
