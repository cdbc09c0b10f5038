package io.tiercache.core.sim;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * What a replay counted. Hits and misses are per access; a promotion is counted when it completes,
 * and the access that caused it is still a miss. Writebacks are writeback migrations plus demotions
 * of dirty blocks (each copies the block to the origin). {@code memoryBytes} is the policy's own
 * estimate (-1 if it gives none).
 */
public record SimResult(String policy, String trace, long cacheBlocks, long originBlocks, long accesses,
        long reads, long writes, long hits, long promotions, long demotions, long writebacks, long dirtyAtEnd,
        long residency, long ticks, long memoryBytes, long elapsedNanos) {

    public long misses() {
        return accesses - hits;
    }

    public double hitRatio() {
        return accesses == 0 ? 0 : (double) hits / accesses;
    }

    /** Policy bytes per cache block, or -1. */
    public double bytesPerBlock() {
        return memoryBytes < 0 ? -1 : (double) memoryBytes / cacheBlocks;
    }

    public double accessesPerSecond() {
        return elapsedNanos == 0 ? 0 : accesses * 1e9 / elapsedNanos;
    }

    /** Name-value pairs in report order (numbers stay numbers for JSON). */
    public Map<String, Object> fields() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("policy", policy);
        m.put("trace", trace);
        m.put("cache_blocks", cacheBlocks);
        m.put("origin_blocks", originBlocks);
        m.put("accesses", accesses);
        m.put("reads", reads);
        m.put("writes", writes);
        m.put("hits", hits);
        m.put("misses", misses());
        m.put("hit_ratio", round(hitRatio(), 4));
        m.put("promotions", promotions);
        m.put("demotions", demotions);
        m.put("writebacks", writebacks);
        m.put("dirty_at_end", dirtyAtEnd);
        m.put("residency", residency);
        m.put("ticks", ticks);
        m.put("policy_bytes_per_block", round(bytesPerBlock(), 2));
        m.put("accesses_per_second", Math.round(accessesPerSecond()));
        return m;
    }

    private static double round(double v, int places) {
        double f = Math.pow(10, places);
        return Math.round(v * f) / f;
    }

    /** One {@code name: value} per line. */
    public String toText() {
        StringBuilder b = new StringBuilder();
        fields().forEach((k, v) -> b.append(String.format(Locale.ROOT, "%-24s %s%n", k + ":", format(v))));
        return b.toString();
    }

    /** One JSON object. */
    public String toJson() {
        StringBuilder b = new StringBuilder("{");
        fields().forEach((k, v) -> {
            if (b.length() > 1) {
                b.append(", ");
            }
            b.append(Json.quote(k)).append(": ").append(v instanceof String s ? Json.quote(s) : format(v));
        });
        return b.append('}').toString();
    }

    private static String format(Object v) {
        return v instanceof Double d ? String.format(Locale.ROOT, d == Math.rint(d) ? "%.1f" : "%s", d) : v.toString();
    }
}
