package io.tiercache.core.dm;

import static io.tiercache.core.metrics.Samples.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.tiercache.core.dm.targets.ErrorTarget;
import io.tiercache.core.dm.targets.LinearTarget;
import io.tiercache.core.metrics.PrometheusText;
import io.tiercache.core.metrics.Samples;
import io.tiercache.spi.block.BlockIo;
import io.tiercache.spi.frontend.ReadRegions;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Per-device I/O accounting and state, as a scrape sees them. */
class DeviceMetricsTest {
    @TempDir
    Path dir;
    DeviceMapper dm;
    Path file;

    @BeforeEach
    void setUp() throws Exception {
        dm = new DeviceMapper(new TargetRegistry(Map.of("linear", new LinearTarget.Type(),
                "error", new ErrorTarget.Type())));
        file = dir.resolve("a.img");
        Files.write(file, new byte[8 << 20]);
    }

    private Map<String, Double> scrape() {
        PrometheusText t = new PrometheusText();
        dm.report(t);
        return Samples.parse(t.render());
    }

    private static String key(String name, String device, String op) {
        return name + "{device=\"" + device + "\",op=\"" + op + "\"}";
    }

    @Test
    void requestsBytesAndErrorsAreCountedPerOperation() throws Exception {
        dm.create("lin", Optional.of("0 16384 linear " + file + " 0\n16384 8 error"));
        try (DeviceHandle h = dm.openForIo("lin").orElseThrow()) {
            h.write(ByteBuffer.allocate(4096), 0, 0);
            h.write(ByteBuffer.allocate(4096), 4096, BlockIo.FUA);
            h.read(ByteBuffer.allocate(8192), 0);
            h.flush();
            h.writeZeroes(0, 512, 0);
            assertThatThrownBy(() -> h.read(ByteBuffer.allocate(512), 16384 * 512L)).isInstanceOf(IOException.class);
            Map<String, Double> s = scrape();
            assertThat(get(s, key("tiercache_device_requests_total", "lin", "write"))).isEqualTo(2);
            assertThat(get(s, key("tiercache_device_bytes_total", "lin", "write"))).isEqualTo(8192);
            assertThat(get(s, key("tiercache_device_requests_total", "lin", "read"))).isEqualTo(2);
            assertThat(get(s, key("tiercache_device_bytes_total", "lin", "read"))).isEqualTo(8192 + 512);
            assertThat(get(s, key("tiercache_device_errors_total", "lin", "read"))).isEqualTo(1);
            assertThat(get(s, key("tiercache_device_errors_total", "lin", "write"))).isZero();
            assertThat(get(s, key("tiercache_device_requests_total", "lin", "flush"))).isEqualTo(1);
            assertThat(get(s, key("tiercache_device_requests_total", "lin", "write_zeroes"))).isEqualTo(1);
            assertThat(get(s, key("tiercache_device_requests_total", "lin", "discard"))).isZero();
            assertThat(get(s, key("tiercache_device_request_duration_seconds_sum", "lin", "read"))).isPositive();
            assertThat(get(s, key("tiercache_device_request_duration_seconds_count", "lin", "read"))).isEqualTo(2);
            String inf = "tiercache_device_request_duration_seconds_bucket{device=\"lin\",op=\"read\",le=\"+Inf\"}";
            assertThat(get(s, inf)).isEqualTo(2);
            assertThat(get(s, "tiercache_device_open_count{device=\"lin\"}")).isEqualTo(1);
            assertThat(get(s, "tiercache_device_size_bytes{device=\"lin\"}")).isEqualTo(16392 * 512.0);
            assertThat(get(s, "tiercache_device_in_flight{device=\"lin\"}")).isZero();
            assertThat(get(s, "tiercache_devices")).isEqualTo(1);
        }
    }

    @Test
    void latenciesFallIntoTheFirstBucketWhoseBoundHoldsThem() {
        assertThat(IoStats.bucket(0)).isZero();
        assertThat(IoStats.bucket(100_000)).as("bounds are inclusive (le)").isZero();
        assertThat(IoStats.bucket(100_001)).isEqualTo(1);
        assertThat(IoStats.bucket(1_000_000_000)).isEqualTo(12);
        assertThat(IoStats.bucket(60_000_000_000L)).as("above every bound: +Inf").isEqualTo(IoStats.BOUNDS_SECONDS.length);
    }

    @Test
    void aZeroCopyReadCountsWhenItsTransferEnds() throws Exception {
        dm.create("lin", Optional.of("0 16384 linear " + file + " 0"));
        try (DeviceHandle h = dm.openForIo("lin").orElseThrow()) {
            ReadRegions regions = h.mapForRead(0, 65536).orElseThrow();
            assertThat(get(scrape(), "tiercache_device_in_flight{device=\"lin\"}")).isEqualTo(1);
            assertThat(get(scrape(), key("tiercache_device_requests_total", "lin", "read"))).isZero();
            regions.close();
            regions.close(); // once only
            Map<String, Double> s = scrape();
            assertThat(get(s, key("tiercache_device_requests_total", "lin", "read"))).isEqualTo(1);
            assertThat(get(s, key("tiercache_device_bytes_total", "lin", "read"))).isEqualTo(65536);
        }
    }

    @Test
    void aStackedDeviceCountsOnBothDevicesAsInDm() throws Exception {
        dm.create("low", Optional.of("0 16384 linear " + file + " 0"));
        dm.create("top", Optional.of("0 8192 linear low 8192"));
        try (DeviceHandle h = dm.openForIo("top").orElseThrow()) {
            h.read(ByteBuffer.allocate(4096), 0);
        }
        Map<String, Double> s = scrape();
        assertThat(get(s, key("tiercache_device_requests_total", "top", "read"))).isEqualTo(1);
        assertThat(get(s, key("tiercache_device_requests_total", "low", "read"))).isEqualTo(1);
        assertThat(get(s, "tiercache_device_open_count{device=\"low\"}")).isEqualTo(1);
        assertThat(get(s, "tiercache_devices")).isEqualTo(2);
    }

    @Test
    void aScrapeDoesNotWaitForASuspendedDevice() throws Exception {
        dm.create("lin", Optional.of("0 16384 linear " + file + " 0"));
        dm.suspend("lin", false);
        Map<String, Double> s = assertTimeoutPreemptively(Duration.ofSeconds(10), this::scrape);
        assertThat(get(s, "tiercache_device_suspended{device=\"lin\"}")).isEqualTo(1);
        dm.resume("lin");
        assertThat(get(scrape(), "tiercache_device_suspended{device=\"lin\"}")).isZero();
    }

    @Test
    void aDeviceWithoutATableReportsItsStateOnly() throws Exception {
        dm.create("empty", Optional.empty());
        Map<String, Double> s = scrape();
        assertThat(get(s, "tiercache_device_size_bytes{device=\"empty\"}")).isZero();
        assertThat(get(s, key("tiercache_device_requests_total", "empty", "read"))).isZero();
    }
}
