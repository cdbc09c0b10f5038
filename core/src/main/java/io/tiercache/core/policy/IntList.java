package io.tiercache.core.policy;

/**
 * A doubly linked list of small integers (cblocks) whose links live in arrays shared by several
 * lists, so an element costs 8 bytes however many lists there are; an element is in at most one of
 * them at a time. Head is the oldest element.
 */
public final class IntList {
    public static final int NONE = -1;

    private final int[] prev;
    private final int[] next;
    private int head = NONE;
    private int tail = NONE;
    private int size;

    /** A list over the given link arrays (both indexed by element). */
    public IntList(int[] prev, int[] next) {
        this.prev = prev;
        this.next = next;
    }

    public int head() {
        return head;
    }

    public int size() {
        return size;
    }

    public boolean isEmpty() {
        return head == NONE;
    }

    public int next(int e) {
        return next[e];
    }

    public void addTail(int e) {
        prev[e] = tail;
        next[e] = NONE;
        if (tail == NONE) {
            head = e;
        } else {
            next[tail] = e;
        }
        tail = e;
        size++;
    }

    public void addHead(int e) {
        next[e] = head;
        prev[e] = NONE;
        if (head == NONE) {
            tail = e;
        } else {
            prev[head] = e;
        }
        head = e;
        size++;
    }

    public void remove(int e) {
        int p = prev[e];
        int n = next[e];
        if (p == NONE) {
            head = n;
        } else {
            next[p] = n;
        }
        if (n == NONE) {
            tail = p;
        } else {
            prev[n] = p;
        }
        size--;
    }

    /** Removes and returns the head, or {@link #NONE}. */
    public int pollHead() {
        int e = head;
        if (e != NONE) {
            remove(e);
        }
        return e;
    }
}
