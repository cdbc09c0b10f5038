package io.tiercache.core.cache;

import static io.tiercache.core.cache.CacheStack.fileBytes;
import static io.tiercache.core.cache.CacheStack.filled;
import static io.tiercache.core.cache.CacheStack.pattern;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Writethrough and passthrough (target-semantics §4.3, §4.3.1): S5, S6, S7, S18. */
class PassthroughTest {
    static final int BLOCK = 64 << 10;

    @TempDir
    Path dir;
    CacheStack stack;
    CacheStack.Proc proc;

    @AfterEach
    void tearDown() {
        if (proc != null) {
            proc.close();
        }
    }

    /** S3 + S4: a clean cached block 0 holding {@code P}, on fixture F. */
    private void cleanBlockZero() throws Exception {
        stack = CacheStack.f(dir);
        proc = stack.process();
        proc.create("0 smq 2 migration_threshold 0");
        proc.write(0, filled(BLOCK, 'P'));
        proc.dm.message("cache", 0, List.of("migration_threshold", "2048"));
        Await.until("dirty = 0", Duration.ofSeconds(30), () -> proc.status().dirty() == 0);
    }

    private void switchTo(String rest) throws Exception {
        proc.dm.suspend("cache", false);
        proc.reload(rest);
        proc.dm.resume("cache");
    }

    /** S5: writethrough writes both copies of a clean block and keeps it clean. */
    @Test
    void s5Writethrough() throws Exception {
        cleanBlockZero();
        switchTo("1 writethrough smq 0");
        Status before = proc.status();
        proc.write(0, filled(4096, 'Q'));
        assertThat(fileBytes(stack.origin, 0, 4096)).isEqualTo(filled(4096, 'Q'));
        assertThat(fileBytes(stack.cache, 0, 4096)).isEqualTo(filled(4096, 'Q'));
        assertThat(proc.read(0, 4096)).isEqualTo(filled(4096, 'Q'));
        Status s = proc.status();
        assertThat(s.writeHits()).isEqualTo(before.writeHits() + 1);
        assertThat(s.dirty()).isZero();

        proc.write(10L << 20, filled(4096, 'M'));
        s = proc.status();
        assertThat(s.writeMisses()).isEqualTo(before.writeMisses() + 1);
        assertThat(fileBytes(stack.origin, 10L << 20, 4096)).isEqualTo(filled(4096, 'M'));
        assertThat(s.dirty()).isZero();
    }

    /** S6: passthrough never promotes, whatever the traffic. */
    @Test
    void s6PassthroughNeverPromotes() throws Exception {
        stack = CacheStack.small(dir);
        proc = stack.process();
        proc.create("1 passthrough smq 0");
        long size = stack.originSectors * 512;
        for (int pass = 0; pass < 3; pass++) {
            for (long off = 0; off < size; off += BLOCK) {
                proc.write(off, filled(BLOCK, pass * 16 + (int) (off / BLOCK) % 16));
            }
            for (long off = 0; off < size; off += BLOCK) {
                proc.read(off, BLOCK);
            }
        }
        Status s = proc.status();
        assertThat(List.of(s.promotions(), s.used(), s.dirty(), s.demotions())).containsOnly(0L);
        for (long off = 0; off < size; off += 7 * BLOCK) {
            assertThat(fileBytes(stack.origin, off, BLOCK)).isEqualTo(filled(BLOCK, 32 + (int) (off / BLOCK) % 16));
        }
    }

    /** S7: passthrough reads come from the origin; a write hit invalidates before it writes. */
    @Test
    void s7ReadsFromOriginAndAWriteHitInvalidates() throws Exception {
        cleanBlockZero();
        switchTo("1 passthrough smq 0");
        assertThat(proc.status().used()).isEqualTo(1);
        CacheStack.writeFile(stack.cache, 0, filled(4096, 'X'));
        Status before = proc.status();
        assertThat(proc.read(0, 4096)).isEqualTo(filled(4096, 'P'));
        Status s = proc.status();
        assertThat(s.readHits()).isEqualTo(before.readHits() + 1);
        assertThat(s.used()).isEqualTo(1);

        proc.write(0, filled(4096, 'R'));
        s = proc.status();
        assertThat(s.used()).isZero();
        assertThat(s.demotions()).isEqualTo(1);
        assertThat(s.writeHits()).isEqualTo(before.writeHits() + 1);
        assertThat(fileBytes(stack.origin, 0, 4096)).isEqualTo(filled(4096, 'R'));
        assertThat(fileBytes(stack.origin, 4096, BLOCK - 4096)).isEqualTo(filled(BLOCK - 4096, 'P'));
        assertThat(proc.read(0, 4096)).isEqualTo(filled(4096, 'R'));
        proc.write(0, filled(4096, 'S'));
        assertThat(proc.status().writeMisses()).isEqualTo(before.writeMisses() + 1);
    }

    /** S18: two writers hammering one cached block: no EIO, no hang, every slot holds its last write. */
    @Test
    void s18ConcurrentWritersInPassthrough() throws Exception {
        cleanBlockZero();
        switchTo("1 passthrough smq 0");
        try (ExecutorService pool = Executors.newFixedThreadPool(2)) {
            List<Future<?>> writers = new ArrayList<>();
            for (int w = 0; w < 2; w++) {
                int writer = w;
                writers.add(pool.submit(() -> {
                    for (int i = 0; i < 200; i++) {
                        int slot = writer + 2 * (i % 8);
                        proc.write(slot * 4096L, stamp(writer, i));
                    }
                    return null;
                }));
            }
            for (Future<?> f : writers) {
                f.get(30, TimeUnit.SECONDS);
            }
        }
        Status s = proc.status();
        assertThat(s.used()).isZero();
        assertThat(s.demotions()).isGreaterThanOrEqualTo(1);
        for (int writer = 0; writer < 2; writer++) {
            for (int k = 0; k < 8; k++) {
                int slot = writer + 2 * k;
                int last = 200 - 8 + k;
                assertThat(proc.read(slot * 4096L, 4096)).isEqualTo(stamp(writer, last));
                assertThat(fileBytes(stack.origin, slot * 4096L, 4096)).isEqualTo(stamp(writer, last));
            }
        }
    }

    /** S18, second part: 64 KiB writers across 100 cached blocks. */
    @Test
    void s18ManyBlocks() throws Exception {
        stack = CacheStack.f(dir);
        proc = stack.process();
        proc.create("0 smq 0");
        for (int b = 0; b < 100; b++) {
            proc.write((long) b * BLOCK, filled(BLOCK, b));
        }
        Await.until("dirty = 0", Duration.ofSeconds(60), () -> proc.status().dirty() == 0);
        switchTo("1 passthrough smq 0");
        assertThat(proc.status().used()).isEqualTo(100);
        try (ExecutorService pool = Executors.newFixedThreadPool(2)) {
            List<Future<?>> writers = new ArrayList<>();
            for (int w = 0; w < 2; w++) {
                writers.add(pool.submit(() -> {
                    for (int b = 0; b < 100; b++) {
                        proc.write((long) b * BLOCK, filled(BLOCK, 'z'));
                    }
                    return null;
                }));
            }
            for (Future<?> f : writers) {
                f.get(60, TimeUnit.SECONDS);
            }
        }
        Status s = proc.status();
        assertThat(s.used()).isZero();
        assertThat(s.demotions()).isGreaterThanOrEqualTo(100);
        assertThat(fileBytes(stack.origin, 0, BLOCK)).isEqualTo(filled(BLOCK, 'z'));
    }

    private static byte[] stamp(int writer, int i) {
        ByteBuffer b = ByteBuffer.allocate(4096);
        while (b.hasRemaining()) {
            b.putInt(writer << 16 | i);
        }
        return b.array();
    }

    /** Partial tail block (S17): straight to the origin, never counted, never promoted. */
    @Test
    void s17PartialTailBlock() throws Exception {
        stack = CacheStack.of(dir, 4 << 20, 64 << 20, (262144L + 100) * 512, 128);
        proc = stack.process();
        proc.create("0 smq 0");
        long tail = 262144L * 512;
        Status before = proc.status();
        proc.write(tail + 512, filled(4096, 'T'));
        assertThat(fileBytes(stack.origin, tail + 512, 4096)).isEqualTo(filled(4096, 'T'));
        for (int i = 0; i < 100; i++) {
            assertThat(proc.read(tail, 100 * 512)).startsWith(pattern(tail, 512));
        }
        Status s = proc.status();
        assertThat(List.of(s.readHits(), s.readMisses(), s.writeHits(), s.writeMisses(), s.used(), s.promotions()))
                .containsExactly(before.readHits(), before.readMisses(), before.writeHits(), before.writeMisses(), 0L,
                        0L);
    }
}
