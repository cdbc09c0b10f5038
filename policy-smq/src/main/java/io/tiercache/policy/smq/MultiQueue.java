package io.tiercache.policy.smq;

import static io.tiercache.policy.smq.EntrySpace.NULL;

/**
 * The "multiqueue" of stochastic multiqueue: 64 LRU lists stacked as levels, 0 cold and 63 hot.
 * Entries move up a level when used (swapping with the oldest entry of the level above) and are
 * taken for eviction or writeback from the oldest end of the lowest levels. Periodically the levels
 * are rebalanced to target sizes, which keeps the top levels small, so that "being in the top
 * quarter" stays a meaningful signal. Sentinel entries may sit in the lists to mark how long ago
 * the entries behind them were queued; they are never counted, popped or moved by rebalancing.
 */
final class MultiQueue {
    static final int LEVELS = 64;

    private final EntrySpace es;
    private final EntryList[] levels = new EntryList[LEVELS];
    private final int[] target = new int[LEVELS];
    private final int topLevels;
    private final int inTopLevels;
    private int size;
    private int lastTargetSize;

    /**
     * @param topLevels how many of the highest levels share {@code inTopLevels} entries between them
     *     (0 for an even spread over all levels)
     */
    MultiQueue(EntrySpace es, int topLevels, int inTopLevels) {
        this.es = es;
        this.topLevels = topLevels;
        this.inTopLevels = inTopLevels;
        for (int i = 0; i < LEVELS; i++) {
            levels[i] = new EntryList(es);
        }
    }

    /** Entries that are not sentinels. */
    int size() {
        return size;
    }

    private void counted(int e, int delta) {
        if (!es.sentinel(e)) {
            size += delta;
        }
    }

    /** Appends {@code e} to the newest end of its level. */
    void push(int e) {
        counted(e, 1);
        levels[es.level(e)].addTail(e);
    }

    /** Puts {@code e} at the oldest end of its level: first in line for eviction or writeback. */
    void pushFront(int e) {
        counted(e, 1);
        levels[es.level(e)].addHead(e);
    }

    /** Puts {@code e} just in front of {@code old}, which is in e's level. */
    void pushBefore(int old, int e) {
        counted(e, 1);
        levels[es.level(e)].addBefore(old, e);
    }

    void remove(int e) {
        levels[es.level(e)].remove(e);
        counted(e, -1);
    }

    /**
     * The oldest entry of the lowest populated level below {@code maxLevel}, or {@code NULL}. Unless
     * {@code crossSentinels}, only entries in front of a level's first sentinel qualify.
     */
    int peek(int maxLevel, boolean crossSentinels) {
        int max = Math.min(maxLevel, LEVELS);
        for (int level = 0; level < max; level++) {
            for (int e = levels[level].head; e != NULL; e = es.next[e]) {
                if (!es.sentinel(e)) {
                    return e;
                }
                if (!crossSentinels) {
                    break;
                }
            }
        }
        return NULL;
    }

    /** Removes and returns the oldest entry of the lowest populated level, or {@code NULL}. */
    int pop() {
        int e = peek(LEVELS, true);
        if (e != NULL) {
            remove(e);
        }
        return e;
    }

    /**
     * Moves {@code e} up {@code extraLevels} (capped at the top) to the newest end of its new level.
     * The oldest entry of that level, if any, swaps down into e's old level: for the dirty queue it
     * goes in front of sentinel {@code s1} if no sentinel preceded it, in front of {@code s2} if one
     * did, so it keeps its age class; otherwise ({@code s1 == NULL}) at the newest end.
     */
    void requeue(int e, int extraLevels, int s1, int s2) {
        int oldLevel = es.level(e);
        int newLevel = Math.min(LEVELS - 1, oldLevel + extraLevels);
        if (extraLevels > 0 && oldLevel < LEVELS - 1) {
            int passed = 0;
            int down = levels[newLevel].head;
            while (down != NULL && es.sentinel(down)) {
                passed++;
                down = es.next[down];
            }
            if (down != NULL) {
                remove(down);
                es.level[down] = (byte) oldLevel;
                if (s1 == NULL || passed > 1) {
                    push(down);
                } else {
                    pushBefore(passed == 0 ? s1 : s2, down);
                }
            }
        }
        remove(e);
        es.level[e] = (byte) newLevel;
        push(e);
    }

    /**
     * Rebalances the levels to their target sizes, bottom up: a level under target pulls the
     * oldest entries down from the levels above; one over target pushes its newest entries up.
     */
    void redistribute() {
        setTargets();
        for (int level = 0; level < LEVELS - 1; level++) {
            EntryList l = levels[level];
            int t = target[level];
            while (l.size < t) {
                int e = popOldestFrom(level + 1);
                if (e == NULL) {
                    break;
                }
                es.level[e] = (byte) level;
                l.addTail(e);
            }
            EntryList above = levels[level + 1];
            while (l.size > t) {
                int e = l.popTail();
                if (e == NULL) {
                    break;
                }
                es.level[e] = (byte) (level + 1);
                above.addTail(e);
            }
        }
    }

    private int popOldestFrom(int fromLevel) {
        for (int level = fromLevel; level < LEVELS; level++) {
            for (int e = levels[level].head; e != NULL; e = es.next[e]) {
                if (!es.sentinel(e)) {
                    levels[level].remove(e);
                    return e;
                }
            }
        }
        return NULL;
    }

    /** Target sizes, recomputed only when the entry count changed since the last time. */
    private void setTargets() {
        if (lastTargetSize == size) {
            return;
        }
        lastTargetSize = size;
        if (topLevels > LEVELS) {
            spread(size, 0, LEVELS);
            return;
        }
        int split = LEVELS - topLevels;
        spread(inTopLevels, split, LEVELS);
        spread(inTopLevels < size ? size - inTopLevels : 0, 0, split);
    }

    /** {@code n} entries evenly over levels {@code [from, to)}, the remainder to the lowest ones. */
    private void spread(int n, int from, int to) {
        int count = to - from;
        int each = count == 0 ? 0 : n / count;
        int remainder = count == 0 ? 0 : n % count;
        for (int level = from; level < to; level++) {
            target[level] = level < from + remainder ? each + 1 : each;
        }
    }

    /** For tests: non-sentinel entries at {@code level}. */
    int levelSize(int level) {
        return levels[level].size;
    }

    /** For tests and hints: the entries of one level, oldest first, sentinels included. */
    int head(int level) {
        return levels[level].head;
    }
}
