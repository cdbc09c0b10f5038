package io.tiercache.policy.adaptive;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Extent stamps: shared by the blocks of an extent, judged stale like a block's, a quarter byte per block. */
class ExtentActivityTest {
    @Test
    void theBlocksOfAnExtentShareOneStamp() {
        ExtentActivity a = new ExtentActivity(4096);
        a.reused(32 * 16 + 3, 17);
        for (long b = 32 * 16; b < 33 * 16; b++) {
            assertThat(a.lastReuse(b)).isEqualTo(17);
        }
        a.reused(32 * 16 + 9, 90);
        assertThat(a.lastReuse(32 * 16)).isEqualTo(90);
    }

    @Test
    void anExtentIdleLongerThanItsCountPredictsIsQuiet() {
        BlockTable blocks = new BlockTable(64);
        SegmentedLru clock = new SegmentedLru(blocks, new LinkedLists(64));
        ExtentActivity a = new ExtentActivity(64);
        long block = 5 * 16;
        a.reused(block, clock.now());
        // a count period is 4 C accesses: 15 reuses in it predict one every ~17 accesses at C = 64
        for (int i = 0; i < 64; i++) {
            clock.tick();
        }
        assertThat(clock.current(15, a.lastReuse(block))).as("idle 64 accesses, 15 reuses a period").isZero();
        assertThat(clock.current(2, a.lastReuse(block))).as("idle 64 accesses, 2 reuses a period").isEqualTo(2);
        a.reused(block, clock.now());
        assertThat(clock.current(15, a.lastReuse(block))).as("reused again").isEqualTo(15);
    }

    @Test
    void aQuarterOfAByteOfStampsPerCacheBlock() {
        assertThat(new ExtentActivity(1 << 20).bytes()).isEqualTo(1 << 18);
        assertThat(new ExtentActivity(10).bytes()).as("a small fixed minimum").isEqualTo(64);
    }
}
