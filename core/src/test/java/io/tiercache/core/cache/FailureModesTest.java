package io.tiercache.core.cache;

import static io.tiercache.core.cache.CacheStack.filled;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tiercache.core.device.FileDevice;
import io.tiercache.core.dm.DmException;
import io.tiercache.core.tools.SuperblockFlags;
import io.tiercache.spi.block.Errno;
import io.tiercache.spi.pdata.CacheSuperblock;
import io.tiercache.spi.pdata.TransactionManager;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Metadata failure modes (target-semantics §6, §5.5): a failed metadata operation aborts, sets
 * needs_check and leaves the table read-only; if even that fails, the table fails. Activation is
 * refused while needs_check is set (S22). Failures come from the {@code error} and {@code flakey}
 * targets swapped in under the metadata device, or from one injected write error.
 */
class FailureModesTest extends CacheStackTest {
    static final int BLOCK = 64 << 10;

    LogCapture log;

    FailureModesTest() {
        super(CacheStack::small);
    }

    @BeforeEach
    void setUp() throws Exception {
        log = new LogCapture();
    }

    @AfterEach
    void tearDown() {
        log.close();
    }

    private long metaSectors() {
        return stack.meta.toFile().length() / 512;
    }

    /** Swaps the table under the metadata device while the cache runs. */
    private void metadataTable(String table) throws DmException {
        proc.dm.load("m", "0 " + metaSectors() + " " + table);
        proc.dm.resume("m");
    }

    /** One failed write: the abort and the needs_check flag succeed, so the table goes read-only. */
    @Test
    void aFailedCommitGoesReadOnlyWithNeedsCheck() throws Exception {
        proc.create("0 smq 2 migration_threshold 0");
        proc.write(0, filled(BLOCK, 'P'));
        long events = proc.events();
        proc.probe("m").failWrites.set(1);
        Status s = proc.status(); // commits, and the commit fails
        assertThat(s.mode()).isEqualTo("ro");
        assertThat(s.needsCheck()).isTrue();
        assertThat(proc.events()).as("a mode switch raises an event").isGreaterThan(events);
        assertThat(log.contains("metadata operation 'dm_cache_commit' failed: error = -5")).isTrue();
        assertThat(log.contains("aborting current metadata transaction")).isTrue();
        assertThat(log.contains("switching cache to read-only mode")).isTrue();

        assertThatThrownBy(() -> proc.dm.message("cache", 0, List.of("migration_threshold", "1")))
                .isInstanceOfSatisfying(DmException.class, e -> assertThat(e.errno()).isEqualTo(Errno.EOPNOTSUPP));
        assertThat(proc.read(0, 4096)).as("in core the promotion stays: the written data is served").isEqualTo(
                filled(4096, 'P'));
        proc.write(3L * BLOCK + 512, filled(512, 'm')); // misses still work
        assertThatThrownBy(() -> proc.write(4L * BLOCK, filled(BLOCK, 'x')))
                .as("an overwrite promotion cannot insert its mapping").isInstanceOf(IOException.class);
        proc.flush();

        proc.dm.remove("cache");
        assertThatThrownBy(() -> proc.create("0 smq 0"))
                .hasMessageEndingWith("cache: Unable to get write access to metadata, please check/repair metadata.");
        proc.close();
        try (FileDevice meta = FileDevice.open(stack.meta)) {
            assertThat(SuperblockFlags.clearNeedsCheck(meta)).isTrue();
        }
        proc = stack.process();
        proc.create("0 smq 0");
        assertThat(List.of(proc.status().mode(), proc.status().needsCheck())).containsExactly("rw", false);
    }

    /** The error target under the metadata: the abort cannot re-read it, so the table fails. */
    @Test
    void anErrorTargetUnderTheMetadataFailsTheCache() throws Exception {
        proc.create("0 smq 2 migration_threshold 0");
        proc.write(0, filled(BLOCK, 'P'));
        metadataTable("error");
        Status s = proc.status();
        assertThat(s.line()).isEqualTo("0 " + stack.originSectors + " cache Fail");
        assertThat(log.contains("switching cache to fail mode")).isTrue();
        assertThatThrownBy(() -> proc.read(0, 4096)).as("fail mode fails all I/O").isInstanceOf(IOException.class);
        assertThatThrownBy(() -> proc.flush()).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> proc.dm.message("cache", 0, List.of("migration_threshold", "1")))
                .isInstanceOfSatisfying(DmException.class, e -> assertThat(e.errno()).isEqualTo(Errno.EOPNOTSUPP));
        proc.dm.remove("cache");
        metadataTable("probe " + stack.meta);
        proc.create("0 smq 0");
        assertThat(proc.status().mode()).as("needs_check could not be written").isEqualTo("rw");
        assertThat(proc.status().used()).as("the uncommitted promotion was lost as a whole").isZero();
    }

    /** flakey dropping every metadata write (error_writes): read-only or fail, never silently rw. */
    @Test
    void flakeyMetadataWrites() throws Exception {
        proc.create("0 smq 2 migration_threshold 0");
        proc.write(0, filled(BLOCK, 'P'));
        metadataTable("flakey " + stack.meta + " 0 0 60 1 error_writes");
        Status s = proc.status();
        assertThat(s.failed() || s.mode().equals("ro")).as("ro or Fail: %s", s.line()).isTrue();
        assertThat(log.contains("metadata operation 'dm_cache_commit' failed")).isTrue();
        if (s.failed()) {
            assertThatThrownBy(() -> proc.read(BLOCK, 4096)).isInstanceOf(IOException.class);
        } else {
            assertThat(proc.read(BLOCK, 4096)).isEqualTo(CacheStack.pattern(BLOCK, 4096));
        }
    }

    /** In read-only mode postsuspend writes nothing, so the clean flag is never set. */
    @Test
    void readOnlyPostsuspendWritesNothing() throws Exception {
        proc.create("0 smq 2 migration_threshold 0");
        proc.write(0, filled(BLOCK, 'P'));
        proc.probe("m").failWrites.set(1);
        proc.status();
        long writes = proc.probe("m").writes.get();
        proc.dm.suspend("cache", false);
        assertThat(proc.probe("m").writes.get()).as("no sync in read-only mode").isEqualTo(writes);
        proc.dm.resume("cache");
        assertThat(proc.status().mode()).isEqualTo("ro");
    }

    /** S22: needs_check set by a tool blocks activation until cleared. */
    @Test
    void s22NeedsCheckBlocksActivation() throws Exception {
        proc.create("0 smq 0");
        proc.dm.remove("cache");
        proc.close();
        try (FileDevice meta = FileDevice.open(stack.meta)) {
            TransactionManager tm = TransactionManager.open(meta, TransactionManager.Options.readWrite());
            tm.writeFlags(tm.superblock().flags() | CacheSuperblock.FLAG_NEEDS_CHECK);
        }
        proc = stack.process();
        assertThatThrownBy(() -> proc.create("0 smq 0"))
                .isInstanceOfSatisfying(DmException.class, e -> assertThat(e.errno()).isEqualTo(Errno.EINVAL))
                .hasMessageEndingWith("cache: Unable to get write access to metadata, please check/repair metadata.");
        assertThat(proc.dm.names()).doesNotContain("cache");
        proc.close();
        try (FileDevice meta = FileDevice.open(stack.meta)) {
            SuperblockFlags.clearNeedsCheck(meta);
        }
        proc = stack.process();
        proc.create("0 smq 0");
        assertThat(List.of(proc.status().mode(), proc.status().needsCheck())).containsExactly("rw", false);
    }
}
