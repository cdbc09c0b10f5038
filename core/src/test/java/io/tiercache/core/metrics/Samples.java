package io.tiercache.core.metrics;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads Prometheus text back for assertions: each sample line as {@code name{labels}} (exactly as
 * rendered) to its value. Checks what any scraper would: a family's {@code # TYPE} comes before its
 * samples (a histogram's {@code _bucket}, {@code _sum}, {@code _count}), and every sample has one.
 */
public final class Samples {
    private Samples() {}

    public static Map<String, Double> parse(String text) {
        Map<String, Double> samples = new LinkedHashMap<>();
        String typed = null;
        boolean histogram = false;
        for (String line : text.split("\n")) {
            if (line.startsWith("# TYPE ")) {
                typed = line.split(" ")[2];
                histogram = line.endsWith(" histogram");
            } else if (!line.startsWith("#") && !line.isBlank()) {
                int space = line.lastIndexOf(' ');
                String key = line.substring(0, space);
                String name = key.contains("{") ? key.substring(0, key.indexOf('{')) : key;
                boolean inFamily = name.equals(typed) || histogram && (name.equals(typed + "_bucket")
                        || name.equals(typed + "_sum") || name.equals(typed + "_count"));
                if (!inFamily) {
                    throw new AssertionError("sample outside its family's block: " + line);
                }
                if (samples.put(key, Double.parseDouble(line.substring(space + 1))) != null) {
                    throw new AssertionError("duplicate sample: " + key);
                }
            }
        }
        return samples;
    }

    /** The value of {@code key}, failing if there is no such sample. */
    public static double get(Map<String, Double> samples, String key) {
        Double v = samples.get(key);
        if (v == null) {
            String name = key.contains("{") ? key.substring(0, key.indexOf('{')) : key;
            throw new AssertionError("no sample " + key + "; of that name: "
                    + samples.keySet().stream().filter(k -> k.startsWith(name)).toList());
        }
        return v;
    }
}
