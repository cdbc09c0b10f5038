package io.tiercache.core.cache;

import static io.tiercache.core.cache.CacheStack.fileBytes;
import static io.tiercache.core.cache.CacheStack.filled;
import static io.tiercache.core.cache.CacheStack.pattern;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tiercache.core.dm.DmException;
import io.tiercache.spi.block.Errno;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Writeback mode (target-semantics §4.3, §4.4, §4.6, §3, §2.2): S3, S4, S13, S16, S20. */
class WritebackTest extends CacheStackTest {
    static final int BLOCK = 64 << 10;

    WritebackTest() {
        super(CacheStack::f);
    }

    /** S3: a full-block write is promoted without a copy, lands in cblock 0 and is dirty. */
    @Test
    void s3OverwritePromotion() throws Exception {
        proc.create("0 smq 2 migration_threshold 0");
        byte[] p = filled(BLOCK, 'P');
        proc.write(0, p);
        Status s = proc.status();
        assertThat(s.promotions()).isEqualTo(1);
        assertThat(s.used()).isEqualTo(1);
        assertThat(s.dirty()).isEqualTo(1);
        assertThat(List.of(s.readHits(), s.readMisses(), s.writeHits(), s.writeMisses())).containsOnly(0L);
        assertThat(proc.read(0, BLOCK)).isEqualTo(p);
        assertThat(fileBytes(stack.origin, 0, BLOCK)).isEqualTo(pattern(0, BLOCK));
        assertThat(fileBytes(stack.cache, 0, BLOCK)).isEqualTo(p);

        assertThat(proc.status().readHits()).as("the verifying read was a hit").isEqualTo(1);
        proc.write(4096, filled(4096, 'Q'));
        s = proc.status();
        assertThat(s.writeHits()).isEqualTo(1);
        assertThat(s.dirty()).isEqualTo(1);
        proc.read(4096, 4096);
        assertThat(proc.status().readHits()).isEqualTo(2);
    }

    /** S4: with a threshold the idle cache writes the block back and raises an event at dirty 0. */
    @Test
    void s4WritebackWhenIdleRaisesTheEvent() throws Exception {
        proc.create("0 smq 2 migration_threshold 0");
        proc.write(0, filled(BLOCK, 'P'));
        proc.write(4096, filled(4096, 'Q'));
        Thread.sleep(1000);
        assertThat(proc.status().dirty()).as("threshold 0: never idle, never written back").isEqualTo(1);

        proc.dm.message("cache", 0, List.of("migration_threshold", "2048"));
        long events = proc.events();
        Await.until("dirty = 0", Duration.ofSeconds(30), () -> proc.status().dirty() == 0);
        assertThat(proc.events()).isGreaterThan(events);
        assertThat(fileBytes(stack.origin, 0, BLOCK)).isEqualTo(proc.read(0, BLOCK));
        assertThat(proc.status().used()).isEqualTo(1);
    }

    /** The idle rule: below one block of threshold nothing is ever idle enough to write back. */
    @Test
    void aThresholdBelowOneBlockNeverWritesBack() throws Exception {
        proc.create("0 smq 2 migration_threshold 127");
        proc.write(0, filled(BLOCK, 'P'));
        Thread.sleep(1500);
        assertThat(proc.status().dirty()).isEqualTo(1);
        proc.dm.message("cache", 0, List.of("migration_threshold", "128"));
        Await.until("dirty = 0", Duration.ofSeconds(30), () -> proc.status().dirty() == 0);
    }

    /** S13: messages. */
    @Test
    void s13Messages() throws Exception {
        proc.create("0 smq 0");
        proc.dm.message("cache", 0, List.of("migration_threshold", "4096"));
        assertThat(proc.status().migrationThreshold()).isEqualTo(4096);
        assertThat(proc.dm.table("cache", false)).containsExactly(stack.table("0 smq 0"));
        for (List<String> bad : List.of(List.of("migration_threshold", "abc"), List.of("migration_threshold", "-1"),
                List.of("migration_threshold"), List.of("foo", "1"), List.of("random_threshold", "5"),
                List.of("a", "b", "c"), List.<String>of())) {
            assertThatThrownBy(() -> proc.dm.message("cache", 0, bad)).as("%s", bad)
                    .isInstanceOfSatisfying(DmException.class, e -> assertThat(e.errno()).isEqualTo(Errno.EINVAL));
        }
        assertThatThrownBy(() -> proc.dm.message("cache", 0, List.of("invalidate_cblocks", "0")))
                .isInstanceOfSatisfying(DmException.class, e -> assertThat(e.errno()).isEqualTo(Errno.EPERM));
        assertThat(proc.status().migrationThreshold()).isEqualTo(4096);
    }

    @Test
    void s13MqAcceptsItsLegacyKeys() throws Exception {
        proc.create("1 writethrough mq 0");
        proc.dm.message("cache", 0, List.of("random_threshold", "5"));
        assertThat(proc.status().policyArgs()).containsExactly("random_threshold", "0", "sequential_threshold", "0",
                "discard_promote_adjustment", "0", "read_promote_adjustment", "0", "write_promote_adjustment", "0");
        assertThatThrownBy(() -> proc.dm.message("cache", 0, List.of("invalidate_cblocks", "0")))
                .isInstanceOfSatisfying(DmException.class, e -> assertThat(e.errno()).isEqualTo(Errno.EPERM));
    }

    /** S16 (a, c, d): discards pass down, mark blocks, and make the next write a copy-free promotion. */
    @Test
    void s16Discards() throws Exception {
        proc.create("0 smq 2 migration_threshold 0");
        long before = proc.probe("o").discards.get();
        proc.discard(128 << 10, BLOCK);
        assertThat(proc.probe("o").discards.get()).isEqualTo(before + 1);
        assertThat(proc.status().used()).isZero();

        proc.discard(5L * BLOCK, BLOCK);
        proc.write(5L * BLOCK + 4096, filled(4096, 'D'));
        Status s = proc.status();
        assertThat(s.promotions()).isEqualTo(1);
        assertThat(s.dirty()).isEqualTo(1);
        assertThat(List.of(s.readHits(), s.readMisses(), s.writeHits(), s.writeMisses())).containsOnly(0L);
        assertThat(proc.read(5L * BLOCK + 4096, 4096)).isEqualTo(filled(4096, 'D'));

        assertThatThrownBy(() -> proc.discard(stack.originSectors * 512 - 4096, 8192))
                .as("a discard past the end fails at the device layer").isInstanceOf(java.io.IOException.class);
    }

    /** S16 (b): without passdown the origin sees no discard, and status says so. */
    @Test
    void s16NoDiscardPassdown() throws Exception {
        proc.create("1 no_discard_passdown smq 0");
        assertThat(proc.status().features()).containsExactly("writeback", "no_discard_passdown");
        long before = proc.probe("o").discards.get();
        proc.discard(128 << 10, BLOCK);
        assertThat(proc.probe("o").discards.get()).isEqualTo(before);
    }

    /** A partial discard marks nothing: the next partial write is an ordinary miss. */
    @Test
    void aPartialDiscardMarksNothing() throws Exception {
        proc.create("0 smq 2 migration_threshold 0");
        proc.discard(7L * BLOCK + 512, BLOCK - 512);
        proc.write(7L * BLOCK, filled(4096, 'x'));
        Status s = proc.status();
        assertThat(s.promotions()).isZero();
        assertThat(s.writeMisses()).isEqualTo(1);
    }

    /** S20: hit/miss counters survive a clean stop; promotions and demotions do not; dirty is reloaded. */
    @Test
    void s20CountersPersist() throws Exception {
        proc.create("0 smq 2 migration_threshold 0");
        proc.write(0, filled(BLOCK, 'P'));
        proc.read(0, 4096);
        proc.read(10L * BLOCK, 4096);
        proc.write(0, filled(512, 'w'));
        proc.write(20L * BLOCK, filled(512, 'w'));
        Status before = proc.status();
        proc.dm.remove("cache");
        proc.create("0 smq 2 migration_threshold 0");
        Status after = proc.status();
        assertThat(List.of(after.readHits(), after.readMisses(), after.writeHits(), after.writeMisses()))
                .containsExactly(before.readHits(), before.readMisses(), before.writeHits(), before.writeMisses())
                .containsExactly(1L, 1L, 1L, 1L);
        assertThat(after.promotions()).isZero();
        assertThat(after.demotions()).isZero();
        assertThat(after.dirty()).isEqualTo(before.dirty()).isEqualTo(1);
        assertThat(proc.read(0, 512)).isEqualTo(filled(512, 'w'));
    }

    /** FLUSH reaches both devices, after the metadata. */
    @Test
    void flushCommitsAndFlushesBothDevices() throws Exception {
        proc.create("0 smq 2 migration_threshold 0");
        proc.write(0, filled(BLOCK, 'P'));
        long metaWrites = proc.probe("m").writes.get();
        proc.flush();
        assertThat(proc.probe("m").writes.get()).as("the promotion's mapping was committed").isGreaterThan(metaWrites);
        assertThat(proc.probe("o").flushes.get()).isPositive();
        assertThat(proc.probe("c").flushes.get()).isPositive();
    }
}
