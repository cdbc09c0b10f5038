package io.tiercache.core.tools;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Problems that repeat for many entries (a dirty bit on each of a million unmapped cache blocks)
 * gathered into one line per block and kind, naming the entries as ranges, so that a damaged
 * image explains itself in a screenful.
 */
final class Findings {
    private static final int MAX_RANGES = 8;

    private final Map<String, Group> groups = new LinkedHashMap<>();

    /** Entries with the same problem in the same block, as ascending ranges. */
    private static final class Group {
        final Problem first;
        final String unit;
        final StringBuilder ranges = new StringBuilder();
        long count;
        int nrRanges;
        long start = -1;
        long end = -1;

        Group(Problem first, String unit) {
            this.first = first;
            this.unit = unit;
        }

        void add(long entry) {
            count++;
            if (entry == end + 1 && start >= 0) {
                end = entry;
                return;
            }
            close();
            start = entry;
            end = entry;
        }

        private void close() {
            if (start < 0) {
                return;
            }
            if (++nrRanges <= MAX_RANGES) {
                ranges.append(ranges.isEmpty() ? "" : ", ").append(start).append(start == end ? "" : ".." + end);
            }
            start = -1;
        }

        Problem toProblem() {
            close();
            String list = ranges + (nrRanges > MAX_RANGES ? ", ..." : "");
            String what = first.what() + ": " + unit + (count == 1 ? " " : "s ") + list
                    + (count > 1 ? " (" + count + " in all)" : "");
            return new Problem(first.block(), first.structure(), what, first.severity());
        }
    }

    /** Notes that entry {@code entry} ({@code unit}, e.g. "cache block") of {@code block} has problem {@code p}. */
    void add(Problem p, String unit, long entry) {
        String key = p.block() + "\u0000" + p.structure() + "\u0000" + p.what() + "\u0000" + p.severity();
        groups.computeIfAbsent(key, k -> new Group(p, unit)).add(entry);
    }

    /** One problem per group, in the order the groups were first seen. */
    void drainTo(List<Problem> out) {
        groups.values().forEach(g -> out.add(g.toProblem()));
        groups.clear();
    }
}
