package io.tiercache.core.cache;

import static io.tiercache.core.cache.CacheStack.filled;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Idleness, concurrency and the lifecycle under load (target-semantics §4.2, §4.7, §5): S15, S19,
 * S21, and a slow origin miss that must not hold up other blocks.
 */
class LifecycleTest extends CacheStackTest {
    static final int BLOCK = 64 << 10;

    LifecycleTest() {
        super(CacheStack::small);
    }

    /** S15: a clean, idle cache does no I/O at all, in writeback and in writethrough. */
    @Test
    void s15NoIoWhenIdle() throws Exception {
        for (String rest : List.of("0 smq 0", "1 writethrough smq 0")) {
            proc.create(rest);
            for (int i = 0; i < 5; i++) {
                proc.write((long) i * BLOCK, filled(BLOCK, i));
                proc.read((long) i * 7 * BLOCK, 4096);
            }
            Await.until("clean", Duration.ofSeconds(30), () -> proc.status().dirty() == 0);
            Thread.sleep(1500);
            long before = proc.deviceIo();
            Thread.sleep(4000); // forty waker rounds with the test timings
            assertThat(proc.deviceIo()).as("device I/O while idle with %s", rest).isEqualTo(before);
            proc.dm.remove("cache");
        }
    }

    /** A miss on a slow origin holds only its own block: hits and other blocks go on. */
    @Test
    void aSlowMissDoesNotHoldUpOtherBlocks() throws Exception {
        proc.create("0 smq 2 migration_threshold 0");
        proc.write(0, filled(BLOCK, 'h'));
        proc.probe("o").readDelayMillis = 6000; // far above the bound below, for a busy machine
        CompletableFuture<byte[]> slow = CompletableFuture.supplyAsync(() -> {
            try {
                return proc.read(50L * BLOCK, 4096);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        Thread.sleep(200);
        long start = System.nanoTime();
        assertThat(proc.read(0, 4096)).isEqualTo(filled(4096, 'h'));
        proc.write(4096, filled(4096, 'w'));
        proc.write(60L * BLOCK, filled(4096, 'm')); // a write miss on another block
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(3000));
        assertThat(slow.isDone()).as("the slow miss is still under way").isFalse();
        assertThat(slow.get(10, TimeUnit.SECONDS)).isEqualTo(CacheStack.pattern(50L * BLOCK, 4096));
    }

    /** S19: suspend/resume and reload while a verifying writer runs. */
    @Test
    void s19SuspendResumeAndReloadUnderLoad() throws Exception {
        proc.create("0 smq 0");
        AtomicBoolean stop = new AtomicBoolean();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        AtomicLong rounds = new AtomicLong();
        Thread io = Thread.ofPlatform().start(() -> verifyingWriter(stop, failure, rounds));
        Status last = proc.status();
        for (int i = 0; i < 20; i++) {
            proc.dm.suspend("cache", false);
            proc.dm.resume("cache");
            Thread.sleep(50);
            Status s = proc.status();
            assertThat(s.readHits() + s.readMisses() + s.writeHits() + s.writeMisses())
                    .isGreaterThanOrEqualTo(last.readHits() + last.readMisses() + last.writeHits() + last.writeMisses());
            assertThat(s.readHits()).isGreaterThanOrEqualTo(last.readHits());
            assertThat(s.writeHits()).isGreaterThanOrEqualTo(last.writeHits());
            last = s;
        }
        for (int i = 0; i < 10; i++) {
            proc.reload("0 smq 0");
            proc.dm.suspend("cache", false);
            proc.dm.resume("cache");
            Thread.sleep(50);
        }
        stop.set(true);
        io.join(30_000);
        assertThat(failure.get()).isNull();
        assertThat(rounds.get()).isPositive();
        Status s = proc.status();
        assertThat(List.of(s.mode(), s.needsCheck())).containsExactly("rw", false);
    }

    private void verifyingWriter(AtomicBoolean stop, AtomicReference<Throwable> failure, AtomicLong rounds) {
        try {
            for (int r = 0; !stop.get(); r++) {
                long block = r % 40;
                byte[] data = filled(r % 3 == 0 ? BLOCK : 8192, r);
                proc.write(block * BLOCK, data);
                byte[] back = proc.read(block * BLOCK, data.length);
                if (!Arrays.equals(back, data)) {
                    throw new AssertionError("block " + block + " round " + r + " read back wrong data");
                }
                rounds.incrementAndGet();
            }
        } catch (Throwable t) {
            failure.set(t);
        }
    }

    /** S21: switching policies (adaptive among them) keeps every mapping; the cleaner never promotes. */
    @Test
    void s21ReloadPreservesMappingsAcrossPolicies() throws Exception {
        proc.create("0 smq 2 migration_threshold 0");
        for (int i = 0; i < 30; i++) {
            proc.write((long) i * BLOCK, filled(BLOCK, i));
        }
        proc.dm.message("cache", 0, List.of("migration_threshold", "2048"));
        Await.until("some blocks clean", Duration.ofSeconds(30), () -> proc.status().dirty() < 30);
        for (String policy : List.of("cleaner", "mq", "adaptive", "smq")) {
            proc.dm.suspend("cache", false);
            proc.reload("0 " + policy + " 2 migration_threshold 0");
            proc.dm.resume("cache");
            Status s = proc.status();
            assertThat(s.used()).as(policy).isEqualTo(30);
            assertThat(s.policy()).isEqualTo(policy);
            for (int i = 0; i < 30; i++) {
                assertThat(proc.read((long) i * BLOCK, 1024)).isEqualTo(filled(1024, i));
            }
            if (policy.equals("cleaner")) {
                for (int i = 0; i < 1000; i++) {
                    proc.read((long) (100 + i % 100) * BLOCK, 4096);
                }
                assertThat(proc.status().promotions()).isZero();
            }
            assertThat(proc.status().used()).isEqualTo(30);
        }
    }

    /**
     * The adaptive policy behind the cache target: a block read once stays on the origin, one read
     * again is promoted; data written into cached blocks stays correct through a suspend and a
     * reload with a new policy argument, and the dirty blocks are written back.
     */
    @Test
    void adaptiveCopiesOnReuseAndKeepsItsMappingsThroughAReload() throws Exception {
        proc.create("0 adaptive 2 migration_threshold 0");
        for (int i = 0; i < 20; i++) {
            proc.read((long) i * BLOCK, 4096);
        }
        assertThat(proc.status().promotions()).as("one-off reads are not copied").isZero();
        for (int i = 0; i < 10; i++) {
            proc.read((long) i * BLOCK, 4096);
        }
        // Residency counts a block from the moment its promotion is queued (as smq's allocation
        // does), so wait for the copies themselves: a write before its copy has landed is a miss.
        Await.until("blocks read twice promoted", Duration.ofSeconds(30), () -> proc.status().promotions() == 10);
        assertThat(proc.status().used()).isEqualTo(10);
        for (int i = 0; i < 10; i++) {
            proc.write((long) i * BLOCK, filled(BLOCK, i + 1));
        }
        Status s = proc.status();
        assertThat(s.writeHits()).isEqualTo(10);
        assertThat(s.dirty()).isEqualTo(10);
        proc.dm.suspend("cache", false);
        proc.reload("0 adaptive 2 useful_percent 60");
        proc.dm.resume("cache");
        assertThat(proc.status().used()).isEqualTo(10);
        assertThat(proc.status().policyArgs()).contains("useful_percent", "60");
        for (int i = 0; i < 10; i++) {
            assertThat(proc.read((long) i * BLOCK, BLOCK)).isEqualTo(filled(BLOCK, i + 1));
        }
        proc.dm.message("cache", 0, List.of("migration_threshold", "2048"));
        Await.until("written back", Duration.ofSeconds(30), () -> proc.status().dirty() == 0);
    }

    /** Write-zeroes is not a cache operation: it becomes ordinary writes of zeroes. */
    @Test
    void writeZeroesBecomesWrites() throws Exception {
        proc.create("0 smq 2 migration_threshold 0");
        try (var h = proc.handle()) {
            h.writeZeroes(BLOCK, 3L * BLOCK, 0);
        }
        assertThat(proc.read(BLOCK, 3 * BLOCK)).isEqualTo(new byte[3 * BLOCK]);
        assertThat(proc.status().promotions()).as("full blocks of zeroes are overwrite promotions").isEqualTo(3);
    }
}
