package io.tiercache.policy.smq;

import static io.tiercache.policy.smq.EntrySpace.NULL;

/**
 * Hands out the entries {@code [begin, end)} of the space. The free list starts in ascending order,
 * allocation takes its head and freeing appends to its tail, so a fresh cache fills cblocks 0, 1,
 * 2, … in order, as the kernel does.
 */
final class EntryAllocator {
    private final EntrySpace es;
    private final int begin;
    private final int end;
    private final EntryList free;
    private int allocated;

    EntryAllocator(EntrySpace es, int begin, int end) {
        this.es = es;
        this.begin = begin;
        this.end = end;
        this.free = new EntryList(es);
        for (int e = begin; e < end; e++) {
            free.addTail(e);
        }
    }

    boolean isEmpty() {
        return free.isEmpty();
    }

    int allocated() {
        return allocated;
    }

    int capacity() {
        return end - begin;
    }

    /** The next free entry, initialised, or {@code NULL}. */
    int alloc() {
        int e = free.head;
        if (e == NULL) {
            return NULL;
        }
        free.remove(e);
        init(e);
        return e;
    }

    /** The entry of index {@code i}, which must be free. */
    int allocParticular(int i) {
        int e = entry(i);
        if (es.is(e, EntrySpace.ALLOCATED)) {
            throw new IllegalStateException("entry " + i + " is already allocated");
        }
        free.remove(e);
        init(e);
        return e;
    }

    /**
     * A fresh entry is marked dirty until told otherwise (as in the kernel): the core always reports
     * a new mapping's state after completing its promotion.
     */
    private void init(int e) {
        es.prev[e] = NULL;
        es.next[e] = NULL;
        es.hashNext[e] = NULL;
        es.level[e] = 0;
        es.flags[e] = EntrySpace.DIRTY | EntrySpace.ALLOCATED;
        allocated++;
    }

    void free(int e) {
        allocated--;
        es.set(e, EntrySpace.ALLOCATED, false);
        free.addTail(e);
    }

    int index(int e) {
        return e - begin;
    }

    int entry(int i) {
        return begin + i;
    }
}
