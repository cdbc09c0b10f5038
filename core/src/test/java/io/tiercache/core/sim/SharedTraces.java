package io.tiercache.core.sim;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The shared traces ({@code shared/traces} beside the repository) and their reference numbers from
 * its README: cache sizes at 1, 5 and 20 % of the distinct blocks, LRU hits and promotions, and
 * Belady's (OPT) hits and promotions. Tests that need the files skip when they are absent.
 */
public final class SharedTraces {
    /** One row of the README's reference table. */
    public record Reference(String trace, long cacheBlocks, long lruHits, long lruPromotions, long optHits,
            long optPromotions) {}

    public static final List<String> NAMES = List.of("zipf_a1.0_small", "shift_small", "scanmix_small");

    public static final List<Reference> REFERENCE = List.of(
            new Reference("zipf_a1.0_small", 344, 131_538, 168_462, 183_029, 29_190),
            new Reference("zipf_a1.0_small", 1_719, 181_095, 118_905, 224_100, 27_098),
            new Reference("zipf_a1.0_small", 6_875, 225_358, 74_642, 254_414, 22_462),
            new Reference("shift_small", 405, 79_743, 320_257, 192_338, 94_912),
            new Reference("shift_small", 2_025, 218_065, 181_935, 309_059, 50_762),
            new Reference("shift_small", 8_102, 343_448, 56_552, 355_660, 28_522),
            new Reference("scanmix_small", 731, 106_223, 293_777, 177_500, 38_485),
            new Reference("scanmix_small", 3_657, 160_792, 239_208, 228_500, 37_303),
            new Reference("scanmix_small", 14_627, 222_958, 177_042, 280_492, 59_458));

    private static final Map<String, Trace> LOADED = new ConcurrentHashMap<>();

    private SharedTraces() {}

    /**
     * The traces folder: {@code $TIERCACHE_SHARED/traces}, else found by walking up from the working
     * directory. Missing traces fail the test: the LRU reference figures must be checked in CI.
     */
    public static Path folder() {
        String env = System.getenv("TIERCACHE_SHARED");
        if (env != null && Files.isRegularFile(Path.of(env, "traces", "manifest.json"))) {
            return Path.of(env, "traces");
        }
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            Path candidate = p.resolve("shared/traces");
            if (Files.isRegularFile(candidate.resolve("manifest.json"))) {
                return candidate;
            }
        }
        throw new AssertionError("shared/traces not found above " + Path.of("").toAbsolutePath()
                + " (set TIERCACHE_SHARED to the project's shared folder)");
    }

    public static Path file(String name) {
        return folder().resolve(name + ".trace.gz");
    }

    /** The trace, loaded once per test JVM. */
    public static Trace load(String name) {
        return LOADED.computeIfAbsent(name, n -> {
            try {
                return Trace.load(file(n));
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
    }

    /** The origin size from the manifest. */
    public static long originBlocks(String name) {
        try {
            return TraceManifest.originBlocks(file(name)).orElseThrow();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
