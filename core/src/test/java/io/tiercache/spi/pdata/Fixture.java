package io.tiercache.spi.pdata;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** A fixture image with what its {@code .inspect.txt} and source XML say about it. */
record Fixture(Path image, Map<String, String> fields, Map<String, Long> spaceMap, Map<Long, Long> blockCounts,
        List<Long> leaked, int validMappings, int dirtyMappings, TreeMap<Integer, TestCache.Mapping> mappings,
        TreeMap<Integer, byte[]> hints) {

    private static final Pattern FIELD = Pattern.compile("^  (\\w+)\\s+(.*)$");
    private static final Pattern SM = Pattern.compile("(\\w+(?:\\(index\\))?)=(\\d+)");
    private static final Pattern BLOCK = Pattern.compile("^  block\\s+(\\d+): .*\\(refcount (\\d+)\\)$");
    private static final Pattern LEAK = Pattern.compile("^    block (\\d+) leaked");
    private static final Pattern COUNTS = Pattern.compile("^  mappings: (\\d+) valid, (\\d+) dirty");
    private static final Pattern MAPPING =
            Pattern.compile("<mapping cache_block=\"(\\d+)\" origin_block=\"(\\d+)\" dirty=\"(true|false)\"/>");
    private static final Pattern HINT = Pattern.compile("<hint cache_block=\"(\\d+)\" data=\"([^\"]*)\"/>");

    static List<Path> images() throws IOException {
        ThinTools.inspectMeta();
        try (Stream<Path> s = Files.list(ThinTools.FIXTURES)) {
            return s.filter(p -> p.toString().endsWith(".bin")).sorted().toList();
        }
    }

    String name() {
        return image.getFileName().toString();
    }

    static Fixture load(Path image) throws IOException {
        String base = image.getFileName().toString().replaceFirst("\\.bin$", "");
        Map<String, String> fields = new HashMap<>();
        Map<String, Long> sm = new HashMap<>();
        Map<Long, Long> counts = new TreeMap<>();
        List<Long> leaked = new ArrayList<>();
        int[] mc = new int[2];
        for (String line : Files.readAllLines(image.resolveSibling(base + ".inspect.txt"))) {
            Matcher m;
            if (line.startsWith("  sm: ")) {
                m = SM.matcher(line);
                while (m.find()) {
                    sm.put(m.group(1), Long.parseLong(m.group(2)));
                }
            } else if ((m = BLOCK.matcher(line)).matches()) {
                counts.put(Long.parseLong(m.group(1)), Long.parseLong(m.group(2)));
            } else if ((m = LEAK.matcher(line)).find()) {
                leaked.add(Long.parseLong(m.group(1)));
            } else if ((m = COUNTS.matcher(line)).find()) {
                mc[0] = Integer.parseInt(m.group(1));
                mc[1] = Integer.parseInt(m.group(2));
            } else if ((m = FIELD.matcher(line)).matches()) {
                fields.put(m.group(1), m.group(2).strip());
            }
        }
        String xml = Files.readString(image.resolveSibling(base.substring(0, base.indexOf('.')) + ".xml"));
        TreeMap<Integer, TestCache.Mapping> mappings = new TreeMap<>();
        Matcher m = MAPPING.matcher(xml);
        while (m.find()) {
            mappings.put(Integer.parseInt(m.group(1)), new TestCache.Mapping(Long.parseLong(m.group(2)),
                    Boolean.parseBoolean(m.group(3))));
        }
        TreeMap<Integer, byte[]> hints = new TreeMap<>();
        m = HINT.matcher(xml);
        while (m.find()) {
            hints.put(Integer.parseInt(m.group(1)), Base64.getDecoder().decode(m.group(2)));
        }
        return new Fixture(image, fields, sm, counts, leaked, mc[0], mc[1], mappings, hints);
    }

    long field(String name) {
        return Long.parseLong(fields.get(name));
    }
}
