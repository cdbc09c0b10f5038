package io.tiercache.core.tools;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;

/**
 * The origin blocks of the valid mappings, to find those mapped twice: 8 bytes per mapping and one
 * sort, where a hash set would take three times that (a million mappings must check in a small
 * heap). Finding which cache blocks share an origin takes a second look at the few duplicates.
 */
final class Origins {
    private long[] origins = new long[4096];
    private int size;

    void add(long origin) {
        if (size == origins.length) {
            origins = Arrays.copyOf(origins, origins.length + (origins.length >> 1));
        }
        origins[size++] = origin;
    }

    /** The origins seen more than once (sorts what was collected; call once, at the end). */
    Set<Long> duplicates() {
        Arrays.sort(origins, 0, size);
        Set<Long> dups = new HashSet<>();
        for (int i = 1; i < size; i++) {
            if (origins[i] == origins[i - 1]) {
                dups.add(origins[i]);
            }
        }
        origins = new long[0];
        size = 0;
        return dups;
    }
}
