package io.tiercache.policy.adaptive;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Victim choice: the colder of the two segments' oldest blocks. */
class SegmentedLruTest {
    private final BlockTable blocks = new BlockTable(4);
    private final LinkedLists lists = new LinkedLists(4);
    private final SegmentedLru segments = new SegmentedLru(blocks, lists);
    private final Popularity popularity = new Popularity(4);

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
}
