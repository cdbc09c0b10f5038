package io.tiercache.core.cache;

import static io.tiercache.core.cache.CacheStack.filled;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tiercache.core.device.FileDevice;
import io.tiercache.core.dm.DmException;
import io.tiercache.spi.block.Errno;
import io.tiercache.spi.metadata.MetadataImage;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.LongStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code invalidate_cblocks} (target-semantics §3), after the test suite's invalidate_cblocks_tests. */
class InvalidateCblocksTest extends CacheStackTest {
    static final int BLOCK = 64 << 10;

    InvalidateCblocksTest() {
        super(CacheStack::small);
    }

    @BeforeEach
    void setUp() throws Exception {
        proc.dm.load("c", "0 " + 100 * 128 + " probe " + stack.cache);
        proc.dm.resume("c");
        proc.create("0 smq 0");
        for (int i = 0; i < 100; i++) {
            proc.write((long) i * BLOCK, filled(BLOCK, i));
        }
        Await.until("a full, clean cache", Duration.ofSeconds(60), () -> {
            Status s = proc.status();
            return s.used() == 100 && s.dirty() == 0;
        });
        proc.dm.suspend("cache", false);
        proc.reload("1 passthrough smq 0");
        proc.dm.resume("cache");
    }

    private void message(String... words) throws DmException {
        proc.dm.message("cache", 0, List.of(words));
    }

    /** The cache blocks still mapped on disk, after a clean remove. */
    private TreeSet<Long> mappedOnDisk() throws IOException, DmException {
        proc.dm.remove("cache");
        TreeSet<Long> mapped = new TreeSet<>();
        try (FileDevice meta = FileDevice.open(stack.meta)) {
            SiblingPlugins.get().metadataFormats().dump(meta, new MetadataImage.Visitor() {
                @Override
                public void superblock(MetadataImage.Superblock sb) {}

                @Override
                public void mapping(long cblock, long oblock, boolean dirty) {
                    mapped.add(cblock);
                }

                @Override
                public void hint(long cblock, byte[] data) {}
            });
        }
        return mapped;
    }

    @Test
    void exactRanges() throws Exception {
        message("invalidate_cblocks", "0", "5", "11", "50-60", "91-99");
        assertThat(proc.status().used()).isEqualTo(79);
        TreeSet<Long> expected = new TreeSet<>(LongStream.range(0, 100).boxed().toList());
        expected.removeAll(List.of(0L, 5L, 11L));
        LongStream.range(50, 60).forEach(expected::remove);
        LongStream.range(91, 99).forEach(expected::remove);
        assertThat(mappedOnDisk()).isEqualTo(expected);
    }

    @Test
    void invalidatingEverythingAndNothing() throws Exception {
        message("invalidate_cblocks");
        assertThat(proc.status().used()).isEqualTo(100);
        message("INVALIDATE_CBLOCKS", "0-100");
        assertThat(proc.status().used()).isZero();
        message("invalidate_cblocks", "0-100");
        assertThat(mappedOnDisk()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"50..60", "50--60", "-60", "50-", "fred", "50-500", "100", "60-50", "+5", "0x10"})
    void badRangesFailAndEarlierOnesStay(String bad) throws Exception {
        assertThatThrownBy(() -> message("invalidate_cblocks", "7", bad, "8"))
                .isInstanceOfSatisfying(DmException.class, e -> assertThat(e.errno()).isEqualTo(Errno.EINVAL));
        assertThat(mappedOnDisk()).doesNotContain(7L).contains(8L).hasSize(99);
    }
}
