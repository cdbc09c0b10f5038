package io.tiercache.core.tools;

import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * thin-provisioning-tools 0.9 and 1.1 and the shared fixtures, for the tools' tests. A missing
 * tool fails the test, naming how to install it: comparing with them is the point.
 */
public final class Tools {
    public static final Path SHARED = sharedFolder();
    public static final Path FIXTURES = SHARED.resolve("fixtures/metadata");

    private Tools() {}

    /** {@code $TIERCACHE_SHARED}, else {@code shared/} beside the repository (tests run in a module folder). */
    private static Path sharedFolder() {
        String env = System.getenv("TIERCACHE_SHARED");
        if (env != null && !env.isBlank()) {
            return Path.of(env);
        }
        return Path.of("").toAbsolutePath().getParent().getParent().resolve("shared");
    }

    public record Result(int exitCode, String stdout, String stderr) {
        public String describe() {
            return "exit " + exitCode + "\nstdout:\n" + stdout + "\nstderr:\n" + stderr;
        }
    }

    /** A tool of Debian's thin-provisioning-tools 0.9 (the C++ tools). */
    public static Path tools09(String tool) {
        Path p = Path.of("/usr/sbin").resolve(tool);
        if (!Files.isExecutable(p)) {
            fail(p + " is missing: install thin-provisioning-tools 0.9 with `apt-get install -y thin-provisioning-tools`");
        }
        return p;
    }

    /** A tool of thin-provisioning-tools 1.1 (the Rust tools), from {@code $TPT11} or the installer's default folder. */
    public static Path tools11(String tool) {
        String env = System.getenv("TPT11");
        Path dir = env != null && !env.isBlank() ? Path.of(env)
                : Path.of(System.getProperty("user.home"), ".cache/thin-tools-1.1/usr/sbin");
        Path p = dir.resolve(tool);
        if (!Files.isExecutable(p)) {
            fail(p + " is missing: install thin-provisioning-tools 1.1 with `bash "
                    + SHARED.resolve("tools/install-thin-tools-1.1.sh") + "` (or set TPT11 to the folder of its binaries)");
        }
        return p;
    }

    /** Every fixture image. */
    public static List<Path> images() throws IOException {
        if (!Files.isDirectory(FIXTURES)) {
            fail(FIXTURES + " is missing: the shared fixtures are expected there (set TIERCACHE_SHARED)");
        }
        try (Stream<Path> s = Files.list(FIXTURES)) {
            return s.filter(p -> p.toString().endsWith(".bin")).sorted().toList();
        }
    }

    /** The XML an image was restored from ({@code small.v1.tpt09.bin} → {@code small.xml}). */
    public static Path sourceXml(Path image) {
        String name = image.getFileName().toString();
        return image.resolveSibling(name.substring(0, name.indexOf('.')) + ".xml");
    }

    /** The tools 1.1 dump stored beside an image. */
    public static Path dump11(Path image) {
        return image.resolveSibling(image.getFileName().toString().replaceFirst("\\.bin$", ".dump-tpt11.xml"));
    }

    public static Result run(Object... command) throws IOException, InterruptedException {
        List<String> args = new ArrayList<>();
        for (Object c : command) {
            args.add(c.toString());
        }
        Path out = Files.createTempFile("tool", ".out");
        Path err = Files.createTempFile("tool", ".err");
        try {
            Process p = new ProcessBuilder(args).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!p.waitFor(300, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                fail("timed out: " + args);
            }
            return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    /** A zero-filled image file of {@code mib} MiB (sparse). */
    public static Path blankImage(Path dir, String name, int mib) throws IOException {
        Path f = dir.resolve(name);
        try (var r = new java.io.RandomAccessFile(f.toFile(), "rw")) {
            r.setLength((long) mib << 20);
        }
        return f;
    }
}
