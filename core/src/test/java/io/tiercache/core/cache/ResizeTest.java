package io.tiercache.core.cache;

import static io.tiercache.core.cache.CacheStack.filled;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tiercache.core.dm.DmException;
import io.tiercache.spi.block.Errno;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Resizing (target-semantics §7): sizes are checked at preresume; growing the cache needs a reload;
 * dirty blocks are never dropped, neither by a shrunk cache nor by a shrunk origin.
 */
class ResizeTest extends CacheStackTest {
    static final int BLOCK = 64 << 10;
    static final long BLOCK_SECTORS = 128;

    LogCapture log;

    ResizeTest() {
        super(CacheStack::small);
    }

    @BeforeEach
    void setUp() throws Exception {
        cacheBlocks(64);
        log = new LogCapture();
    }

    @AfterEach
    void tearDown() {
        log.close();
    }

    /** Resizes the cache device {@code c} (a slice of the 128-block cache file). */
    private void cacheBlocks(long n) throws DmException {
        proc.dm.load("c", "0 " + n * BLOCK_SECTORS + " probe " + stack.cache);
        proc.dm.resume("c");
    }

    private String table(long originBlocks, String rest) {
        return "0 " + originBlocks * BLOCK_SECTORS + " cache m c o " + BLOCK_SECTORS + " " + rest;
    }

    private void fill(int blocks) throws Exception {
        for (int i = 0; i < blocks; i++) {
            proc.write((long) i * BLOCK, filled(BLOCK, i));
        }
    }

    private void assertRefused(Errno errno, String log) {
        assertThatThrownBy(() -> proc.dm.resume("cache")).isInstanceOfSatisfying(DmException.class,
                e -> assertThat(e.errno()).isEqualTo(errno));
        assertThat(this.log.contains(log)).as(log).isTrue();
    }

    @Test
    void growingTheCacheNeedsAReload() throws Exception {
        proc.create("0 smq 2 migration_threshold 0");
        fill(10);
        cacheBlocks(128);
        proc.dm.suspend("cache", false);
        assertRefused(Errno.EINVAL, "unable to extend cache due to missing cache table reload");
        proc.reload("0 smq 2 migration_threshold 0");
        proc.dm.resume("cache");
        Status s = proc.status();
        assertThat(s.total()).isEqualTo(128);
        assertThat(s.used()).isEqualTo(10);
        assertThat(s.dirty()).isEqualTo(10);
        assertThat(proc.read(9L * BLOCK, BLOCK)).isEqualTo(filled(BLOCK, 9));
    }

    @Test
    void aLiveShrinkIsRefusedWhileADroppedBlockIsDirty() throws Exception {
        proc.create("0 smq 2 migration_threshold 0");
        fill(41);
        cacheBlocks(32);
        proc.dm.suspend("cache", false);
        assertRefused(Errno.EINVAL, "unable to shrink cache; cache block 32 is dirty");
        assertThat(proc.status().mode()).isEqualTo("rw");
        assertThat(proc.status().needsCheck()).isFalse();
    }

    @Test
    void aCleanShrinkByReloadKeepsTheFirstBlocks() throws Exception {
        proc.create("0 smq 0");
        fill(40);
        Await.until("dirty = 0", Duration.ofSeconds(60), () -> proc.status().dirty() == 0);
        cacheBlocks(32);
        proc.dm.suspend("cache", false);
        assertRefused(Errno.EINVAL, "unable to shrink cache due to missing cache table reload");
        proc.reload("0 smq 0");
        proc.dm.resume("cache");
        Status s = proc.status();
        assertThat(s.total()).isEqualTo(32);
        assertThat(s.used()).isEqualTo(32);
        for (int i = 0; i < 40; i++) {
            assertThat(proc.read((long) i * BLOCK, 512)).isEqualTo(filled(512, i));
        }
    }

    @Test
    void aReloadThatWouldDropDirtyBlocksIsAMetadataFailure() throws Exception {
        proc.create("0 smq 2 migration_threshold 0");
        fill(40);
        cacheBlocks(32);
        proc.reload("0 smq 2 migration_threshold 0");
        assertRefused(Errno.EINVAL, "could not resize cache metadata");
        assertThat(log.contains("unable to shrink cache due to dirty blocks")).isTrue();
        Status s = proc.status();
        assertThat(s.mode()).isEqualTo("ro");
        assertThat(s.needsCheck()).isTrue();
    }

    @Test
    void shrinkingTheOriginRefusesDirtyAndDropsCleanMappingsBeyondIt() throws Exception {
        proc.create("0 smq 2 migration_threshold 0");
        proc.write(200L * BLOCK, filled(BLOCK, 'd'));
        proc.write(10L * BLOCK, filled(BLOCK, 'k'));
        proc.dm.load("cache", table(100, "0 smq 2 migration_threshold 0"));
        assertRefused(Errno.EFBIG, "unable to shrink origin; cache block 0 is dirty");
        assertThat(List.of(proc.status().mode(), proc.status().needsCheck())).containsExactly("rw", false);

        proc.dm.load("cache", stack.table("0 smq 0"));
        proc.dm.resume("cache");
        Await.until("dirty = 0", Duration.ofSeconds(30), () -> proc.status().dirty() == 0);
        proc.dm.load("cache", table(100, "0 smq 0"));
        proc.dm.resume("cache");
        assertThat(proc.status().used()).as("the clean mapping beyond the end was dropped").isEqualTo(1);
        proc.dm.load("cache", stack.table("0 smq 0"));
        proc.dm.resume("cache");
        assertThat(proc.status().used()).isEqualTo(1);
        assertThat(proc.read(200L * BLOCK, BLOCK)).isEqualTo(filled(BLOCK, 'd'));
        assertThat(proc.read(10L * BLOCK, BLOCK)).isEqualTo(filled(BLOCK, 'k'));
    }

    @Test
    void growingTheOriginKeepsMappingsAndDiscards() throws Exception {
        proc.dm.create("cache", java.util.Optional.of(table(128, "0 smq 2 migration_threshold 0")));
        proc.write(3L * BLOCK, filled(BLOCK, 'g'));
        proc.discard(64L * BLOCK, 8L * BLOCK);
        proc.dm.load("cache", table(256, "0 smq 2 migration_threshold 0"));
        proc.dm.resume("cache");
        Status s = proc.status();
        assertThat(s.used()).isEqualTo(1);
        assertThat(s.dirty()).isEqualTo(1);
        proc.write(65L * BLOCK, filled(4096, 'x'));
        assertThat(proc.status().promotions()).as("the discard survived: a copy-free promotion").isEqualTo(1);
    }
}
