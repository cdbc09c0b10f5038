package io.tiercache.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tiercache.it.CacheRig.Status;
import java.io.RandomAccessFile;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The daemon's Prometheus endpoint, scraped with curl while qemu-io drives a cache device over
 * NBD: the samples say what {@code tiercache status} says.
 */
class MetricsIT {
    @TempDir
    Path dir;

    private static Map<String, Double> samples(String text) {
        Map<String, Double> m = new HashMap<>();
        for (String line : text.split("\n")) {
            if (!line.startsWith("#") && !line.isBlank()) {
                int space = line.lastIndexOf(' ');
                m.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
            }
        }
        return m;
    }

    private static double get(Map<String, Double> m, String key) {
        assertThat(m).as("samples").containsKey(key);
        return m.get(key);
    }

    @Test
    void curlScrapesACacheDeviceAsItsStatusLineCountsIt() throws Exception {
        int metricsPort = DaemonProcess.freePort();
        try (DaemonProcess daemon = new DaemonProcess(dir).start("--metrics-listen", "127.0.0.1:" + metricsPort)) {
            assertThat(daemon.log()).contains("metrics on http://127.0.0.1:" + metricsPort + "/metrics");
            for (String f : List.of("meta", "ssd", "hdd")) {
                try (RandomAccessFile r = new RandomAccessFile(dir.resolve(f).toFile(), "rw")) {
                    r.setLength(f.equals("hdd") ? 32 << 20 : f.equals("ssd") ? 8 << 20 : 4 << 20);
                }
            }
            String devices = dir.resolve("meta") + " " + dir.resolve("ssd") + " " + dir.resolve("hdd");
            daemon.cli("create", "wb", "--table",
                    "0 65536 cache " + devices + " 128 1 writeback smq 2 migration_threshold 0").ok();
            // two full-block writes (promoted at once, dirty), a read hit, a read miss
            Proc.run(dir, List.of("qemu-io", "-f", "raw", daemon.uri("wb"), "-c", "write -P 0x5a 0 128k", "-c",
                    "write -P 0x33 320k 64k", "-c", "read -P 0x5a 0 64k", "-c", "read 1M 4k")).ok();
            String url = "http://127.0.0.1:" + metricsPort + "/metrics";
            Map<String, Double> m = samples(Proc.run(dir, List.of("curl", "-sSf", url)).ok().out());
            Status s = Status.parse(daemon.cli("status", "wb").ok().out().split("\n")[0]);

            String c = "{device=\"wb\",start=\"0\"}";
            assertThat(get(m, "tiercache_cache_blocks_used" + c)).isEqualTo(s.used()).isEqualTo(3);
            assertThat(get(m, "tiercache_cache_dirty_blocks" + c)).isEqualTo(s.dirty()).isEqualTo(3);
            assertThat(get(m, "tiercache_cache_promotions_total" + c)).isEqualTo(s.promotions()).isEqualTo(3);
            assertThat(get(m, "tiercache_cache_read_hits_total" + c)).isEqualTo(s.readHits()).isPositive();
            assertThat(get(m, "tiercache_cache_read_misses_total" + c)).isEqualTo(s.readMisses()).isPositive();
            assertThat(get(m, "tiercache_cache_write_misses_total" + c)).isEqualTo(s.writeMisses());
            assertThat(get(m, "tiercache_cache_blocks" + c)).isEqualTo(s.total());
            assertThat(get(m, "tiercache_device_bytes_total{device=\"wb\",op=\"write\"}")).isEqualTo(196608);
            assertThat(get(m, "tiercache_device_bytes_total{device=\"wb\",op=\"read\"}")).isGreaterThanOrEqualTo(69632);
            assertThat(get(m, "tiercache_device_errors_total{device=\"wb\",op=\"read\"}")).isZero();
            assertThat(get(m, "tiercache_device_request_duration_seconds_count{device=\"wb\",op=\"write\"}"))
                    .isEqualTo(get(m, "tiercache_device_requests_total{device=\"wb\",op=\"write\"}")).isEqualTo(2);
            assertThat(get(m, "tiercache_devices")).isEqualTo(1);
            // the NBD plugin's own counters: qemu-io's two writes and two reads, its connection
            assertThat(get(m, "tiercache_nbd_requests_total{command=\"write\"}")).isEqualTo(2);
            assertThat(get(m, "tiercache_nbd_requests_total{command=\"read\"}")).isGreaterThanOrEqualTo(2);
            assertThat(get(m, "tiercache_nbd_request_errors_total{command=\"read\"}")).isZero();
            assertThat(get(m, "tiercache_nbd_connections_total{transport=\"tcp\"}")).isGreaterThanOrEqualTo(1);

            // the CLI prints the same families from the control socket
            String cli = daemon.cli("metrics").ok().out();
            assertThat(cli).contains("# TYPE tiercache_cache_promotions_total counter\n")
                    .contains("tiercache_cache_promotions_total" + c + " 3\n");
            // anything but /metrics is refused, and the endpoint goes on serving
            assertThat(Proc.run(dir, List.of("curl", "-s", "-o", "/dev/null", "-w", "%{http_code}",
                    "http://127.0.0.1:" + metricsPort + "/")).out()).isEqualTo("404");
            assertThat(Proc.run(dir, List.of("curl", "-sSf", url)).ok().out()).contains("tiercache_devices 1\n");
        }
    }

    @Test
    void aBadMetricsAddressStopsTheStartNamingIt() throws Exception {
        try (DaemonProcess daemon = new DaemonProcess(dir)) {
            assertThatThrownBy(() -> daemon.start(false, "--metrics-listen", "127.0.0.1:http"))
                    .hasMessageContaining("daemon exited 1")
                    .hasMessageContaining("metrics.listen: bad port in '127.0.0.1:http'");
        }
    }
}
