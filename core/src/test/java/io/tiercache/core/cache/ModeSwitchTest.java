package io.tiercache.core.cache;

import static io.tiercache.core.cache.CacheStack.fileBytes;
import static io.tiercache.core.cache.CacheStack.filled;
import static io.tiercache.core.cache.CacheStack.pattern;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tiercache.core.dm.DeviceInfo;
import io.tiercache.core.dm.DmException;
import io.tiercache.spi.block.Errno;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The two 2026 fixes and the order of preresume (target-semantics §5.2.1, §5.3, §5.4): S8, S9, S10,
 * S11, and the shared metadata object.
 */
class ModeSwitchTest extends CacheStackTest {
    static final int BLOCK = 64 << 10;
    static final String WRITEBACK_T0 = "2 metadata2 writeback smq 2 migration_threshold 0";
    static final String PASSTHROUGH = "2 metadata2 passthrough smq 0";

    LogCapture log;

    ModeSwitchTest() {
        super(CacheStack::f);
    }

    @BeforeEach
    void setUp() throws Exception {
        log = new LogCapture();
    }

    @AfterEach
    void tearDown() {
        log.close();
    }

    private static void assertErrno(ThrowingCall call, Errno errno) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(DmException.class,
                e -> assertThat(e.errno()).isEqualTo(errno));
    }

    @FunctionalInterface
    interface ThrowingCall {
        void run() throws Exception;
    }

    /** S8: dirty after a clean stop: passthrough refused with EBUSY, then (flag cleared) with EINVAL. */
    @Test
    void s8PassthroughRefusedWithDirtyMappingsAfterACleanStop() throws Exception {
        proc.create("0 smq 2 migration_threshold 0");
        proc.write(0, filled(BLOCK, 'P'));
        proc.dm.remove("cache");

        assertErrno(() -> proc.create("1 passthrough smq 0"), Errno.EBUSY);
        assertThat(log.contains("cache: cannot enter passthrough mode unless all blocks are clean")).isTrue();
        assertThat(log.contains("cache metadata: policy couldn't load cache block 0")).isTrue();
        assertThat(log.contains("cache: could not load cache mappings")).isTrue();
        assertThat(proc.dm.names()).doesNotContain("cache");

        log.clear();
        assertErrno(() -> proc.create("1 passthrough smq 0"), Errno.EINVAL);
        assertThat(log.contains("unable to resume into passthrough mode after unclean shutdown")).isTrue();
        assertThat(log.contains("cannot enter passthrough mode")).as("fix (b) runs before the load").isFalse();

        proc.create("0 smq 2 migration_threshold 0");
        Status s = proc.status();
        assertThat(s.mode()).isEqualTo("rw");
        assertThat(s.needsCheck()).isFalse();
        assertThat(s.dirty()).isEqualTo(1);
        assertThat(proc.read(0, BLOCK)).isEqualTo(filled(BLOCK, 'P'));
    }

    /** S9, upstream reproducer (b): an unclean stop, then passthrough. */
    @Test
    void s9UncleanShutdownThenPassthrough() throws Exception {
        stack.zeroMetadata();
        proc.create(WRITEBACK_T0);
        proc.write(0, filled(BLOCK, 'P'));
        assertThat(proc.status().dirty()).isEqualTo(1); // also commits the mapping, not the dirty bit
        proc.crash();

        proc = stack.process();
        assertThat(fileBytes(stack.cache, 0, BLOCK)).isEqualTo(filled(BLOCK, 'P'));
        assertThat(fileBytes(stack.origin, 0, BLOCK)).isEqualTo(pattern(0, BLOCK));
        log.clear();
        assertErrno(() -> proc.create(PASSTHROUGH), Errno.EINVAL);
        assertThat(log.contains("device-mapper: cache: cache: unable to resume into passthrough mode after unclean "
                + "shutdown")).isTrue();
        assertThat(proc.dm.names()).doesNotContain("cache");

        proc.create(WRITEBACK_T0);
        Status s = proc.status();
        assertThat(s.needsCheck()).isFalse();
        assertThat(s.dirty()).as("loaded dirty because of the crash").isEqualTo(1);
        assertThat(proc.read(0, BLOCK)).isEqualTo(filled(BLOCK, 'P'));
    }

    /** S10, upstream reproducer (a): a passthrough table preloaded while the old one still writes. */
    @Test
    void s10PreloadedPassthroughWhileWritesContinue() throws Exception {
        proc.create(WRITEBACK_T0);
        proc.reload(PASSTHROUGH);
        proc.write(0, filled(BLOCK, 'P'));
        assertThat(proc.status().dirty()).isEqualTo(1);

        assertErrno(() -> proc.dm.resume("cache"), Errno.EBUSY);
        assertThat(log.contains("cannot enter passthrough mode unless all blocks are clean")).isTrue();
        assertThat(log.contains("could not load cache mappings")).isTrue();
        DeviceInfo info = proc.dm.info("cache");
        assertThat(info.suspended()).isTrue();
        assertThat(info.inactive()).isFalse();
        assertThat(proc.dm.table("cache", false)).containsExactly(stack.table(PASSTHROUGH));
        Status s = proc.status();
        assertThat(s.mode()).isEqualTo("rw");
        assertThat(s.needsCheck()).isFalse();

        log.clear();
        assertErrno(() -> proc.dm.resume("cache"), Errno.EINVAL);
        assertThat(log.contains("unable to resume cache due to missing proper cache table reload")).isTrue();
        assertThat(log.contains("unclean shutdown")).as("can_resume (a) comes before (b)").isFalse();

        proc.reload(WRITEBACK_T0);
        proc.dm.resume("cache");
        s = proc.status();
        assertThat(s.dirty()).isEqualTo(1);
        assertThat(s.needsCheck()).isFalse();
        assertThat(proc.read(0, BLOCK)).isEqualTo(filled(BLOCK, 'P'));
    }

    /** S11: the LVM way: clean with the cleaner, then switch to passthrough while idle. */
    @Test
    void s11SafeSwitchThroughTheCleaner() throws Exception {
        proc.create("0 smq 2 migration_threshold 0");
        for (int i = 0; i < 20; i++) {
            proc.write((long) i * 3 * BLOCK, filled(BLOCK, 'a' + i));
        }
        assertThat(proc.status().dirty()).isEqualTo(20);
        proc.reload("0 cleaner 0");
        proc.dm.resume("cache");
        long events = proc.events();
        Await.until("dirty = 0", Duration.ofSeconds(60), () -> proc.status().dirty() == 0);
        assertThat(proc.events()).isGreaterThan(events);
        proc.reload("1 passthrough smq 0");
        proc.dm.resume("cache");
        Status s = proc.status();
        assertThat(s.used()).isEqualTo(20);
        assertThat(s.features()).containsExactly("passthrough");
        for (int i = 0; i < 20; i++) {
            long off = (long) i * 3 * BLOCK;
            assertThat(fileBytes(stack.origin, off, BLOCK)).isEqualTo(filled(BLOCK, 'a' + i))
                    .isEqualTo(proc.read(off, BLOCK));
        }
    }

    /**
     * §5.3: a preloaded table shares the live table's metadata object, and clean_when_opened stays
     * what it was at the first open, through any number of clean suspends and reloads.
     */
    @Test
    void cleanWhenOpenedBelongsToTheSharedObject() throws Exception {
        proc.create(WRITEBACK_T0);
        proc.write(0, filled(BLOCK, 'P'));
        proc.status();
        proc.crash();

        proc = stack.process();
        proc.create("2 metadata2 writeback smq 0");
        Await.until("dirty = 0", Duration.ofSeconds(30), () -> proc.status().dirty() == 0);
        for (int i = 0; i < 3; i++) {
            proc.dm.suspend("cache", false);
            proc.dm.resume("cache");
        }
        proc.reload(PASSTHROUGH);
        assertThat(proc.shared.openObjects()).isEqualTo(1);
        log.clear();
        assertErrno(() -> proc.dm.resume("cache"), Errno.EINVAL);
        assertThat(log.contains("unable to resume into passthrough mode after unclean shutdown")).isTrue();

        proc.dm.remove("cache");
        assertThat(proc.shared.openObjects()).isZero();
        proc.create(PASSTHROUGH);
        assertThat(proc.status().used()).as("clean now: passthrough starts warm").isEqualTo(1);
    }

    /** The checks are at preresume, not construction: a passthrough reload succeeds even while dirty. */
    @Test
    void constructionChecksNothingAboutDirtiness() throws Exception {
        proc.create(WRITEBACK_T0);
        proc.write(0, filled(BLOCK, 'P'));
        proc.reload(PASSTHROUGH);
        assertThat(proc.dm.info("cache").inactive()).isTrue();
        proc.dm.clear("cache");
        assertThat(proc.status().dirty()).isEqualTo(1);
        assertThat(proc.shared.openObjects()).isEqualTo(1);
        assertThat(List.of(proc.status().mode(), proc.status().needsCheck())).containsExactly("rw", false);
    }
}
