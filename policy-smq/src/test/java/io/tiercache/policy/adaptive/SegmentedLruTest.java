package io.tiercache.policy.adaptive;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Victim choice: the colder of the two segments' oldest blocks, stale counts taken as 0. */
class SegmentedLruTest {
    /** 64 cache blocks: a time stamp unit is 8 accesses, the sample period 32 units. */
    private static final int BLOCKS = 64;
    private static final int ACCESSES_PER_UNIT = BLOCKS / 8;

    private final BlockTable blocks = new BlockTable(BLOCKS);
    private final LinkedLists lists = new LinkedLists(BLOCKS);
    private final SegmentedLru segments = new SegmentedLru(blocks, lists);
    private final Popularity popularity = new Popularity(BLOCKS);

    private void map(int c, long oblock, boolean isProtected, int uses) {
        blocks.oblock[c] = oblock;
        blocks.setState(c, BlockTable.MAPPED);
        segments.add(c, isProtected);
        popularity.restore(oblock, uses);
    }

    @Test
    void theOldestProbationBlockGoesWhenItIsNoWarmer() {
        map(0, 100, true, 3);
        map(1, 101, false, 3);
        map(2, 102, false, 1);
        assertThat(segments.victim(popularity)).as("a tie: probation's").isEqualTo(1);
    }

    @Test
    void aStaleProtectedBlockGoesBeforeAWarmerProbationBlock() {
        map(0, 100, true, 1);
        map(1, 101, false, 4);
        assertThat(segments.victim(popularity)).isEqualTo(0);
        segments.remove(0);
        assertThat(segments.victim(popularity)).as("only probation left").isEqualTo(1);
    }

    @Test
    void withoutProbationTheOldestProtectedBlockGoes() {
        map(0, 100, true, 9);
        assertThat(segments.victim(popularity)).isEqualTo(0);
        segments.remove(0);
        assertThat(segments.victim(popularity)).isEqualTo(LinkedLists.NONE);
    }

    private void idle(int units) {
        for (int i = 0; i < units * ACCESSES_PER_UNIT; i++) {
            segments.tick();
        }
    }

    @Test
    void aHotBlockLeftIdleLongerThanItsCountPredictsIsStale() {
        map(0, 100, true, 15); // used 15 times a period: expected back within 32 / 15 units
        map(1, 101, false, 3); // within 32 / 3 units
        assertThat(segments.victim(popularity)).as("fresh: the colder probation block").isEqualTo(1);
        idle(2);
        assertThat(segments.currentUses(0, popularity)).isEqualTo(15);
        idle(1);
        assertThat(segments.currentUses(0, popularity)).as("3 units × 15 > 32").isZero();
        assertThat(segments.currentUses(1, popularity)).as("3 units × 3 ≤ 32").isEqualTo(3);
        assertThat(segments.victim(popularity)).as("the stale protected block goes first").isEqualTo(0);
    }

    @Test
    void aUseMakesABlockFreshAgain() {
        map(0, 100, true, 15);
        map(1, 101, false, 3);
        idle(4);
        segments.touch(0);
        assertThat(segments.currentUses(0, popularity)).isEqualTo(15);
        assertThat(segments.victim(popularity)).isEqualTo(1);
    }

    @Test
    void aRarelyUsedBlockIsGivenTimeInProportion() {
        map(0, 100, true, 1);
        idle(32);
        assertThat(segments.currentUses(0, popularity)).isEqualTo(1);
        idle(1);
        assertThat(segments.currentUses(0, popularity)).isZero();
    }

    @Test
    void theStampSurvivesAChangeOfStateAndWrapsAfterAWholeTurn() {
        map(0, 100, true, 15);
        idle(5);
        blocks.setState(0, BlockTable.WRITING_BACK);
        blocks.setState(0, BlockTable.MAPPED);
        blocks.set(0, BlockTable.DIRTY, true);
        assertThat(segments.currentUses(0, popularity)).as("still idle").isZero();
        segments.touch(0);
        idle(BlockTable.STAMPS); // a whole turn of the clock: looks fresh again
        assertThat(segments.currentUses(0, popularity)).isEqualTo(15);
    }
}
