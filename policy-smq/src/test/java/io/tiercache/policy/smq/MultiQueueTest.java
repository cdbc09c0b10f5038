package io.tiercache.policy.smq;

import static io.tiercache.policy.smq.EntrySpace.NULL;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The 64-level queue on its own: requeue swaps, sentinel-aware peeks, rebalancing targets. */
class MultiQueueTest {
    private final EntrySpace es = new EntrySpace(300);
    private final MultiQueue q = new MultiQueue(es, 0, 0);

    private int entry(int e, int level) {
        es.level[e] = (byte) level;
        es.flags[e] = EntrySpace.ALLOCATED;
        q.push(e);
        return e;
    }

    private int sentinel(int e, int level) {
        es.level[e] = (byte) level;
        es.flags[e] = EntrySpace.SENTINEL;
        q.push(e);
        return e;
    }

    private List<Integer> level(int level) {
        List<Integer> out = new ArrayList<>();
        for (int e = q.head(level); e != NULL; e = es.next[e]) {
            out.add(e);
        }
        return out;
    }

    @Test
    void requeueMovesUpAndSwapsTheOldestEntryAboveDown() {
        entry(1, 5);
        entry(2, 5);
        entry(3, 6);
        entry(4, 6);
        q.requeue(1, 1, NULL, NULL);
        assertThat(level(5)).containsExactly(2, 3);
        assertThat(level(6)).containsExactly(4, 1);
        assertThat(q.size()).isEqualTo(4);
    }

    @Test
    void aSwappedDownEntryKeepsItsAgeClassAgainstTheSentinels() {
        int s1 = sentinel(100, 5);
        entry(1, 5);
        int s2 = sentinel(101, 5);
        entry(2, 5);
        sentinel(102, 6);
        entry(3, 6); // one sentinel in front of it: it goes before s2
        q.requeue(2, 1, s1, s2);
        assertThat(level(5)).containsExactly(s1, 1, 3, s2);
        assertThat(level(6)).containsExactly(102, 2);
    }

    @Test
    void peekStopsAtTheFirstSentinelUnlessAllowedToCross() {
        sentinel(100, 0);
        entry(1, 0);
        entry(2, 1);
        assertThat(q.peek(64, true)).isEqualTo(1);
        assertThat(q.peek(64, false)).as("level 0 is blocked, level 1 is not").isEqualTo(2);
        assertThat(q.peek(1, false)).isEqualTo(NULL);
    }

    @Test
    void redistributionSpreadsEvenlyWithTheRemainderAtTheBottom() {
        for (int e = 0; e < 130; e++) {
            entry(e, 63);
        }
        q.redistribute();
        assertThat(q.levelSize(0)).isEqualTo(3);
        assertThat(q.levelSize(1)).isEqualTo(3);
        assertThat(q.levelSize(2)).isEqualTo(2);
        assertThat(q.levelSize(63)).isEqualTo(2);
        assertThat(level(0)).as("the oldest come down first").containsExactly(0, 1, 2);
    }

    @Test
    void aQueueWithTopLevelsKeepsThemSmall() {
        MultiQueue top = new MultiQueue(es, 8, 16);
        for (int e = 0; e < 128; e++) {
            es.level[e] = 0;
            es.flags[e] = EntrySpace.ALLOCATED;
            top.push(e);
        }
        top.redistribute();
        int inTop = 0;
        for (int l = 56; l < 64; l++) {
            inTop += top.levelSize(l);
        }
        assertThat(inTop).isEqualTo(16);
        assertThat(top.levelSize(0)).isEqualTo(2); // 112 over 56 levels
    }
}
