package io.tiercache.policy.adaptive;

import io.tiercache.core.sim.Trace;
import java.util.Arrays;
import java.util.PriorityQueue;

/**
 * Belady's optimal policy with bypass (the "OPT" of the shared traces' README), the denominator of
 * the hit score: on a miss a block is promoted only if its next use comes sooner than the farthest
 * next use among the resident blocks (which is then evicted); with room left, any block that is used
 * again is promoted. It reproduces the README's OPT figures exactly.
 */
final class Belady {
    /** Hits and promotions of OPT on one trace and cache size. */
    record Result(long hits, long promotions) {
        double hitRatio(long accesses) {
            return (double) hits / accesses;
        }
    }

    private Belady() {}

    static Result run(Trace trace, int cacheBlocks) {
        int n = trace.size();
        int[] ids = denseIds(trace);
        int distinct = Arrays.stream(ids).max().orElse(-1) + 1;
        int[] nextUse = new int[n];
        int[] seen = new int[distinct];
        Arrays.fill(seen, n);
        for (int i = n - 1; i >= 0; i--) {
            nextUse[i] = seen[ids[i]];
            seen[ids[i]] = i;
        }
        int[] residentNext = new int[distinct]; // -1: not resident
        Arrays.fill(residentNext, -1);
        // max-heap of (next use << 32 | id), stale entries skipped lazily
        PriorityQueue<Long> farthest = new PriorityQueue<>((a, b) -> Long.compare(b, a));
        int size = 0;
        long hits = 0;
        long promotions = 0;
        for (int i = 0; i < n; i++) {
            int b = ids[i];
            int next = nextUse[i];
            if (residentNext[b] >= 0) {
                hits++;
                residentNext[b] = next;
                farthest.add((long) next << 32 | b);
                continue;
            }
            if (next == n) {
                continue; // never used again: bypass
            }
            if (size < cacheBlocks) {
                size++;
            } else {
                long top;
                while (true) {
                    top = farthest.peek();
                    int id = (int) top;
                    if (residentNext[id] == (int) (top >>> 32)) {
                        break;
                    }
                    farthest.poll();
                }
                if ((int) (top >>> 32) <= next) {
                    continue; // every resident block is needed sooner: bypass
                }
                farthest.poll();
                residentNext[(int) top] = -1;
            }
            promotions++;
            residentNext[b] = next;
            farthest.add((long) next << 32 | b);
        }
        return new Result(hits, promotions);
    }

    /** The trace's blocks renumbered 0, 1, 2, ... in order of first appearance. */
    private static int[] denseIds(Trace trace) {
        java.util.HashMap<Long, Integer> ids = new java.util.HashMap<>();
        int[] out = new int[trace.size()];
        for (int i = 0; i < trace.size(); i++) {
            out[i] = ids.computeIfAbsent(trace.block(i), k -> ids.size());
        }
        return out;
    }
}
