package io.tiercache.core.cache;

import static io.tiercache.core.cache.CacheStack.fileBytes;
import static io.tiercache.core.cache.CacheStack.filled;
import static io.tiercache.core.cache.CacheStack.pattern;
import static org.assertj.core.api.Assertions.assertThat;

import io.tiercache.spi.block.BlockIo;
import io.tiercache.spi.pdata.CacheSuperblock;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Crash semantics (target-semantics §4.7, §4.8): after an unclean stop the cache shows exactly the
 * last committed mappings, all of them dirty; what was acknowledged before a FLUSH or with FUA is
 * there; no block is ever torn. S12, S14, and the FUA overwrite and clean-flag cases the kernel
 * misses.
 */
class CrashTest extends CacheStackTest {
    static final int BLOCK = 64 << 10;

    CrashTest() {
        super(CacheStack::f);
    }

    private void restart() throws Exception {
        proc.crash();
        proc = stack.process();
    }

    /** S12: clean blocks come back dirty after a crash, and writing them back changes nothing. */
    @Test
    void s12UncleanStopLoadsEverythingDirty() throws Exception {
        proc.create("0 smq 0");
        for (int i = 0; i < 8; i++) {
            proc.write((long) i * 5 * BLOCK, filled(BLOCK, 'a' + i));
        }
        Await.until("dirty = 0", Duration.ofSeconds(30), () -> proc.status().dirty() == 0);
        restart();
        proc.create("0 smq 2 migration_threshold 0");
        Status s = proc.status();
        assertThat(s.used()).isEqualTo(8);
        assertThat(s.dirty()).isEqualTo(8);
        for (int i = 0; i < 8; i++) {
            assertThat(proc.read((long) i * 5 * BLOCK, BLOCK)).isEqualTo(filled(BLOCK, 'a' + i));
        }
        byte[] origin = fileBytes(stack.origin, 0, 40 * BLOCK);
        proc.dm.message("cache", 0, List.of("migration_threshold", "2048"));
        Await.until("dirty = 0", Duration.ofSeconds(30), () -> proc.status().dirty() == 0);
        assertThat(fileBytes(stack.origin, 0, 40 * BLOCK)).isEqualTo(origin);
    }

    /** S14: a FLUSH makes the promotion durable. */
    @Test
    void s14FlushMakesThePromotionDurable() throws Exception {
        proc.create("0 smq 2 migration_threshold 0");
        proc.write(0, filled(BLOCK, 'P'));
        proc.flush();
        restart();
        proc.create("0 smq 2 migration_threshold 0");
        Status s = proc.status();
        assertThat(s.used()).isEqualTo(1);
        assertThat(s.dirty()).isEqualTo(1);
        assertThat(proc.read(0, BLOCK)).isEqualTo(filled(BLOCK, 'P'));
    }

    /** S14 variant: without a flush the block reads all new or all old, never a mixture. */
    @Test
    void s14WithoutFlushNoTornBlock() throws Exception {
        proc.create("0 smq 2 migration_threshold 0");
        proc.write(0, filled(BLOCK, 'P'));
        restart();
        proc.create("0 smq 2 migration_threshold 0");
        byte[] got = proc.read(0, BLOCK);
        assertThat(Arrays.equals(got, filled(BLOCK, 'P')) || Arrays.equals(got, pattern(0, BLOCK)))
                .as("entirely P or entirely O").isTrue();
    }

    /** A FUA write that became an overwrite promotion is durable when acknowledged (the kernel's gap). */
    @Test
    void aFuaOverwritePromotionIsCommittedBeforeItCompletes() throws Exception {
        proc.create("0 smq 2 migration_threshold 0");
        proc.write(0, filled(BLOCK, 'F'), BlockIo.FUA);
        restart();
        proc.create("0 smq 2 migration_threshold 0");
        assertThat(proc.status().used()).isEqualTo(1);
        assertThat(proc.read(0, BLOCK)).isEqualTo(filled(BLOCK, 'F'));
    }

    /** A FUA write to a block whose promotion is not yet committed waits for the commit. */
    @Test
    void aFuaWriteHitCommitsTheMappingItLandsOn() throws Exception {
        proc.create("0 smq 2 migration_threshold 0");
        proc.write(0, filled(BLOCK, 'P'));
        proc.write(4096, filled(4096, 'U'), BlockIo.FUA);
        restart();
        proc.create("0 smq 2 migration_threshold 0");
        byte[] expected = filled(BLOCK, 'P');
        System.arraycopy(filled(4096, 'U'), 0, expected, 4096, 4096);
        assertThat(proc.read(0, BLOCK)).isEqualTo(expected);
    }

    /**
     * The noted hazard of §4.8: a suspend leaves the clean flag on disk; the next resume clears it
     * again, so a crash afterwards cannot trust the stale dirty bits written at the suspend.
     */
    @Test
    void resumeClearsTheCleanFlagBeforeIoRestarts() throws Exception {
        proc.create("0 smq 0");
        proc.write(0, filled(BLOCK, 'P'));
        Await.until("dirty = 0", Duration.ofSeconds(30), () -> proc.status().dirty() == 0);
        proc.dm.suspend("cache", false);
        assertThat(cleanFlagOnDisk()).as("set by the clean suspend").isTrue();
        proc.dm.resume("cache");
        assertThat(cleanFlagOnDisk()).as("cleared before I/O restarts").isFalse();
        proc.write(0, filled(4096, 'N')); // a hit on a clean block: no metadata change, no commit
        restart();
        proc.create("0 smq 2 migration_threshold 0");
        assertThat(proc.status().dirty()).as("every mapping is dirty after the crash").isEqualTo(1);
        assertThat(proc.read(0, 4096)).isEqualTo(filled(4096, 'N'));
    }

    /** A clean stop keeps the dirty bits exactly. */
    @Test
    void aCleanStopKeepsTheDirtyBits() throws Exception {
        proc.create("0 smq 2 migration_threshold 0");
        proc.write(0, filled(BLOCK, 'P'));
        proc.write(BLOCK, filled(BLOCK, 'Q'));
        proc.dm.message("cache", 0, List.of("migration_threshold", "2048"));
        Await.until("dirty = 0", Duration.ofSeconds(30), () -> proc.status().dirty() == 0);
        proc.dm.message("cache", 0, List.of("migration_threshold", "0"));
        proc.write(BLOCK, filled(4096, 'q'));
        assertThat(proc.status().dirty()).isEqualTo(1);
        proc.close();
        proc = stack.process();
        proc.create("0 smq 2 migration_threshold 0");
        assertThat(proc.status().used()).isEqualTo(2);
        assertThat(proc.status().dirty()).isEqualTo(1);
    }

    private boolean cleanFlagOnDisk() throws Exception {
        ByteBuffer b = ByteBuffer.wrap(fileBytes(stack.meta, 0, 4096)).order(ByteOrder.LITTLE_ENDIAN);
        return CacheSuperblock.decode(b).cleanShutdown();
    }
}
