package io.tiercache.core.cache;

import static io.tiercache.core.cache.CacheStack.filled;
import static io.tiercache.spi.frontend.BlockStatusContext.CACHED;
import static io.tiercache.spi.frontend.BlockStatusContext.DIRTY;
import static org.assertj.core.api.Assertions.assertThat;

import io.tiercache.core.dm.DeviceHandle;
import io.tiercache.spi.frontend.BlockStatusContext;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The cache's answers to NBD: where each range lives (tiercache:cache) and CMD_CACHE as a promotion hint. */
class CacheReportTest extends CacheStackTest {
    static final int BLOCK = 64 << 10;
    static final long DEVICE = 128L << 20;

    CacheReportTest() {
        super(CacheStack::f);
    }

    record Extent(long length, int flags) {}

    List<Extent> extents(BlockStatusContext context, long offset, long length) throws Exception {
        List<Extent> out = new ArrayList<>();
        try (DeviceHandle h = proc.handle()) {
            h.blockStatus(context, offset, length, (len, flags) -> out.add(new Extent(len, flags)));
        }
        return out;
    }

    @Test
    void cachedAndDirtyBlocksAreReportedAsTheStatusCountsThem() throws Exception {
        proc.create("0 smq 2 migration_threshold 0");
        proc.write(0, filled(BLOCK, 'A'));       // overwrite promotions: cached and dirty
        proc.write(3L * BLOCK, filled(BLOCK, 'B'));
        Status s = proc.status();
        assertThat(s.used()).isEqualTo(2);
        assertThat(s.dirty()).isEqualTo(2);

        assertThat(extents(BlockStatusContext.CACHE, 0, DEVICE)).containsExactly(
                new Extent(BLOCK, CACHED | DIRTY), new Extent(2L * BLOCK, 0),
                new Extent(BLOCK, CACHED | DIRTY), new Extent(DEVICE - 4L * BLOCK, 0));
        assertThat(extents(BlockStatusContext.CACHE, 1000, 3L * BLOCK)).as("clipped to the question")
                .containsExactly(new Extent(BLOCK - 1000, CACHED | DIRTY), new Extent(2L * BLOCK, 0),
                        new Extent(1000, CACHED | DIRTY));
        assertThat(extents(BlockStatusContext.ALLOCATION, 0, DEVICE)).containsExactly(new Extent(DEVICE, 0));
        assertThat(proc.status().readHits() + proc.status().readMisses()).as("asking is not an access").isZero();

        proc.dm.message("cache", 0, List.of("migration_threshold", "2048"));
        Await.until("written back", Duration.ofSeconds(30), () -> proc.status().dirty() == 0);
        assertThat(extents(BlockStatusContext.CACHE, 0, 4L * BLOCK)).containsExactly(
                new Extent(BLOCK, CACHED), new Extent(2L * BLOCK, 0), new Extent(BLOCK, CACHED));
    }

    @Test
    void aSinkThatStopsEndsTheAnswer() throws Exception {
        proc.create("0 smq 2 migration_threshold 0");
        proc.write(BLOCK, filled(BLOCK, 'A'));
        List<Extent> out = new ArrayList<>();
        try (DeviceHandle h = proc.handle()) {
            h.blockStatus(BlockStatusContext.CACHE, 0, DEVICE, (len, flags) -> {
                out.add(new Extent(len, flags));
                return false;
            });
        }
        assertThat(out).containsExactly(new Extent(BLOCK, 0));
    }

    @Test
    void prefetchPromotesThroughThePolicyWithoutCountingAccesses() throws Exception {
        proc.create("0 lru 0");
        try (DeviceHandle h = proc.handle()) {
            h.prefetch(2L * BLOCK + 100, 3L * BLOCK);
        }
        Await.until("4 promotions", Duration.ofSeconds(30), () -> proc.status().promotions() == 4);
        Status s = proc.status();
        assertThat(s.used()).isEqualTo(4);
        assertThat(List.of(s.readHits(), s.readMisses(), s.writeHits(), s.writeMisses())).containsOnly(0L);
        assertThat(extents(BlockStatusContext.CACHE, 0, 8L * BLOCK)).containsExactly(
                new Extent(2L * BLOCK, 0), new Extent(4L * BLOCK, CACHED), new Extent(2L * BLOCK, 0));
    }

    @Test
    void passthroughIgnoresPrefetch() throws Exception {
        proc.create("1 passthrough lru 0");
        try (DeviceHandle h = proc.handle()) {
            h.prefetch(0, 4L * BLOCK);
        }
        Thread.sleep(300);
        assertThat(proc.status().promotions()).isZero();
        assertThat(extents(BlockStatusContext.CACHE, 0, DEVICE)).containsExactly(new Extent(DEVICE, 0));
    }
}
