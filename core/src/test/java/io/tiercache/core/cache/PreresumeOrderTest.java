package io.tiercache.core.cache;

import static io.tiercache.core.cache.CacheStack.filled;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tiercache.core.dm.DmException;
import io.tiercache.spi.block.Errno;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The order of target-semantics §5.2.1: can_resume (a) sized-but-not-loaded, can_resume (b) fix (b),
 * then sizing, then the mapping load with fix (a), then the discards. Each test sets up two refusals
 * at once and checks that the earlier step is the one that answers.
 */
class PreresumeOrderTest extends CacheStackTest {
    static final int BLOCK = 64 << 10;

    LogCapture log;

    PreresumeOrderTest() {
        super(CacheStack::small);
    }

    @BeforeEach
    void setUp() throws Exception {
        proc.dm.load("c", "0 " + 64 * 128 + " probe " + stack.cache);
        proc.dm.resume("c");
        log = new LogCapture();
    }

    @AfterEach
    void tearDown() {
        log.close();
    }

    private void refused(Errno errno) {
        assertThatThrownBy(() -> proc.dm.resume("cache")).isInstanceOfSatisfying(DmException.class,
                e -> assertThat(e.errno()).isEqualTo(errno));
    }

    private void growCacheDevice() throws DmException {
        proc.dm.load("c", "0 " + 128 * 128 + " probe " + stack.cache);
        proc.dm.resume("c");
    }

    /** (a) before sizing: a half-loaded table is refused as such even though the cache grew. */
    @Test
    void sizedButNotLoadedComesFirst() throws Exception {
        proc.create("0 smq 2 migration_threshold 0");
        proc.write(0, filled(BLOCK, 'P'));
        proc.reload("1 passthrough smq 0");
        refused(Errno.EBUSY);
        growCacheDevice();
        log.clear();
        refused(Errno.EINVAL);
        assertThat(log.lines()).anyMatch(l -> l.endsWith("unable to resume cache due to missing proper cache table reload"))
                .noneMatch(l -> l.contains("unable to extend cache"));
    }

    /** (b) before sizing and loading: after a crash, passthrough is refused before anything is resized. */
    @Test
    void uncleanShutdownComesBeforeSizingAndLoading() throws Exception {
        proc.create("0 smq 2 migration_threshold 0");
        proc.write(0, filled(BLOCK, 'P'));
        proc.status();
        proc.crash();
        proc = stack.process();
        proc.dm.load("c", "0 " + 32 * 128 + " probe " + stack.cache); // a size preresume would have to resize to
        proc.dm.resume("c");
        log.clear();
        assertThatThrownBy(() -> proc.create("1 passthrough smq 0")).isInstanceOfSatisfying(DmException.class,
                e -> assertThat(e.errno()).isEqualTo(Errno.EINVAL));
        assertThat(log.lines()).anyMatch(l -> l.endsWith("unable to resume into passthrough mode after unclean shutdown"))
                .noneMatch(l -> l.contains("resize") || l.contains("cannot enter passthrough"));
        assertThat(proc.shared.openObjects()).isZero();
    }

    /** Sizing before loading: a shrink that would drop dirty blocks fails before fix (a) is consulted. */
    @Test
    void sizingComesBeforeTheDirtyCheck() throws Exception {
        proc.create("0 smq 2 migration_threshold 0");
        for (int i = 0; i < 40; i++) {
            proc.write((long) i * BLOCK, filled(BLOCK, i));
        }
        proc.dm.load("c", "0 " + 32 * 128 + " probe " + stack.cache);
        proc.dm.resume("c");
        proc.reload("1 passthrough smq 0");
        log.clear();
        refused(Errno.EINVAL);
        assertThat(log.lines()).anyMatch(l -> l.endsWith("could not resize cache metadata"))
                .noneMatch(l -> l.contains("cannot enter passthrough"));
    }

    /** Mappings load once per instance: a plain suspend/resume reloads nothing. */
    @Test
    void aPlainResumeLoadsNothingAgain() throws Exception {
        proc.create("0 smq 2 migration_threshold 0");
        proc.write(0, filled(BLOCK, 'P'));
        long reads = proc.probe("m").reads.get();
        proc.dm.suspend("cache", false);
        proc.dm.resume("cache");
        assertThat(proc.status().used()).isEqualTo(1);
        assertThat(proc.probe("m").reads.get()).as("no metadata read at resume").isEqualTo(reads);
        assertThat(List.of(proc.status().dirty(), proc.status().promotions())).containsExactly(1L, 1L);
    }
}
