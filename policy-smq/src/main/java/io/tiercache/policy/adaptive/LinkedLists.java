package io.tiercache.policy.adaptive;

/**
 * Doubly linked lists of cache blocks through two shared link arrays ({@code prev}, {@code next},
 * indexed by cblock): a block is on at most one list at a time. Used for the free blocks and the two
 * LRU segments; head = least recently queued. 8 bytes per cache block.
 *
 * <p>A block on no list (one being demoted) may lend its two links to hold one {@code long}: see
 * {@link #stash}.
 */
final class LinkedLists {
    static final int NONE = -1;

    static final int FREE = 0;
    static final int PROBATION = 1;
    static final int PROTECTED = 2;
    private static final int LISTS = 3;

    private final int[] prev;
    private final int[] next;
    private final int[] head = new int[LISTS];
    private final int[] tail = new int[LISTS];
    private final int[] size = new int[LISTS];

    LinkedLists(int cacheBlocks) {
        prev = new int[cacheBlocks];
        next = new int[cacheBlocks];
        java.util.Arrays.fill(head, NONE);
        java.util.Arrays.fill(tail, NONE);
    }

    int head(int list) {
        return head[list];
    }

    int next(int c) {
        return next[c];
    }

    int size(int list) {
        return size[list];
    }

    boolean isEmpty(int list) {
        return size[list] == 0;
    }

    void addTail(int list, int c) {
        prev[c] = tail[list];
        next[c] = NONE;
        if (tail[list] == NONE) {
            head[list] = c;
        } else {
            next[tail[list]] = c;
        }
        tail[list] = c;
        size[list]++;
    }

    void remove(int list, int c) {
        int p = prev[c];
        int n = next[c];
        if (p == NONE) {
            head[list] = n;
        } else {
            next[p] = n;
        }
        if (n == NONE) {
            tail[list] = p;
        } else {
            prev[n] = p;
        }
        prev[c] = NONE;
        next[c] = NONE;
        size[list]--;
    }

    /** Removes and returns the head of {@code list}, or {@link #NONE}. */
    int pollHead(int list) {
        int c = head[list];
        if (c != NONE) {
            remove(list, c);
        }
        return c;
    }

    /** Keeps {@code value} in the links of {@code c}, which must be on no list until {@link #unstash}. */
    void stash(int c, long value) {
        prev[c] = (int) (value >>> 32);
        next[c] = (int) value;
    }

    long unstash(int c) {
        long value = ((long) prev[c] << 32) | (next[c] & 0xFFFF_FFFFL);
        prev[c] = NONE;
        next[c] = NONE;
        return value;
    }

    long bytes() {
        return 8L * prev.length;
    }
}
