package io.tiercache.policy.smq;

import static io.tiercache.policy.smq.EntrySpace.NULL;

/**
 * A doubly linked list of entries through {@link EntrySpace#prev}/{@link EntrySpace#next}: one level
 * of a queue, or an allocator's free list. Head is the oldest entry. {@link #size} counts entries
 * that are not sentinels.
 */
final class EntryList {
    private final EntrySpace es;
    int head = NULL;
    int tail = NULL;
    int size;

    EntryList(EntrySpace es) {
        this.es = es;
    }

    boolean isEmpty() {
        return head == NULL;
    }

    void addHead(int e) {
        es.next[e] = head;
        es.prev[e] = NULL;
        if (head == NULL) {
            tail = e;
        } else {
            es.prev[head] = e;
        }
        head = e;
        count(e, 1);
    }

    void addTail(int e) {
        es.prev[e] = tail;
        es.next[e] = NULL;
        if (tail == NULL) {
            head = e;
        } else {
            es.next[tail] = e;
        }
        tail = e;
        count(e, 1);
    }

    /** Inserts {@code e} just in front of {@code old}, which is in this list. */
    void addBefore(int old, int e) {
        int p = es.prev[old];
        if (p == NULL) {
            addHead(e);
            return;
        }
        es.prev[e] = p;
        es.next[e] = old;
        es.next[p] = e;
        es.prev[old] = e;
        count(e, 1);
    }

    void remove(int e) {
        int p = es.prev[e];
        int n = es.next[e];
        if (p == NULL) {
            head = n;
        } else {
            es.next[p] = n;
        }
        if (n == NULL) {
            tail = p;
        } else {
            es.prev[n] = p;
        }
        count(e, -1);
    }

    /** Removes and returns the newest entry that is not a sentinel, or {@code NULL}. */
    int popTail() {
        for (int e = tail; e != NULL; e = es.prev[e]) {
            if (!es.sentinel(e)) {
                remove(e);
                return e;
            }
        }
        return NULL;
    }

    private void count(int e, int delta) {
        if (!es.sentinel(e)) {
            size += delta;
        }
    }
}
