package io.tiercache.core.sim;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * The {@code manifest.json} that may sit beside a trace: a {@code traces} array of entries with a
 * {@code file} (path ending in the trace's file name) or {@code name}, and the trace's
 * {@code origin_blocks}, which a policy should be sized with (SMQ sizes its hotspot table from it).
 */
public final class TraceManifest {
    private TraceManifest() {}

    /** The origin size the manifest beside {@code trace} gives for it, if any. */
    public static OptionalLong originBlocks(Path trace) throws IOException {
        Path dir = trace.toAbsolutePath().getParent();
        Path manifest = dir == null ? null : dir.resolve("manifest.json");
        if (manifest == null || !Files.isRegularFile(manifest)) {
            return OptionalLong.empty();
        }
        Object root;
        try {
            root = Json.parse(Files.readString(manifest));
        } catch (IllegalArgumentException e) {
            throw new IOException(manifest + ": " + e.getMessage(), e);
        }
        String fileName = trace.getFileName().toString();
        if (root instanceof Map<?, ?> m && m.get("traces") instanceof List<?> entries) {
            for (Object o : entries) {
                if (o instanceof Map<?, ?> entry && matches(entry, fileName)
                        && entry.get("origin_blocks") instanceof BigDecimal n) {
                    return OptionalLong.of(n.longValueExact());
                }
            }
        }
        return OptionalLong.empty();
    }

    private static boolean matches(Map<?, ?> entry, String fileName) {
        if (entry.get("file") instanceof String f) {
            String base = f.substring(f.lastIndexOf('/') + 1);
            if (base.equals(fileName)) {
                return true;
            }
        }
        return entry.get("name") instanceof String n
                && (fileName.equals(n) || fileName.equals(n + ".trace") || fileName.equals(n + ".trace.gz"));
    }
}
