package io.tiercache.core.metadata;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.tiercache.spi.block.BlockIo;
import io.tiercache.spi.metadata.MetadataFormat;
import java.io.File;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * thin-provisioning-tools 0.9 and 1.1 and the shared fixtures, for the metadata tests of core and
 * of the format plugins (public: the plugins get it through core's test-jar). A missing tool fails
 * the test with the way to install it; these checks are the point of the tests.
 */
public final class MetadataTestKit {
    /** {@code $TIERCACHE_SHARED}, else {@code shared/} beside the repository (tests run in a module folder). */
    public static final Path SHARED = sharedFolder();
    public static final Path FIXTURES = SHARED.resolve("fixtures/metadata");
    private static final Path TPT09 = Path.of("/usr/sbin");

    private MetadataTestKit() {}

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

    public static Path tools09(String tool) {
        Path p = TPT09.resolve(tool);
        if (!Files.isExecutable(p)) {
            fail(p + " is missing: install thin-provisioning-tools 0.9 with "
                    + "`apt-get install -y thin-provisioning-tools`");
        }
        return p;
    }

    public static Path tools11(String tool) {
        String env = System.getenv("TPT11");
        Path dir = env != null ? Path.of(env) : Path.of(System.getProperty("user.home"), ".cache/thin-tools-1.1/usr/sbin");
        Path p = dir.resolve(tool);
        if (!Files.isExecutable(p)) {
            fail(p + " is missing: install thin-provisioning-tools 1.1 with `bash "
                    + SHARED.resolve("tools/install-thin-tools-1.1.sh") + "` (or set TPT11 to the folder of its binaries)");
        }
        return p;
    }

    /** The fixtures' independent decoder and verifier (Python 3, no dependencies). */
    public static Path inspectMeta() {
        Path p = FIXTURES.resolve("inspect_meta.py");
        if (!Files.isRegularFile(p)) {
            fail(p + " is missing: the shared fixtures are expected under " + SHARED + " (set TIERCACHE_SHARED)");
        }
        return p;
    }

    /** The fixture images ({@code *.bin}); fails if the shared folder is missing. */
    public static List<Path> fixtureImages() throws IOException {
        if (!Files.isDirectory(FIXTURES)) {
            fail(FIXTURES + " is missing: the shared fixtures are expected under " + SHARED + " (set TIERCACHE_SHARED)");
        }
        try (Stream<Path> s = Files.list(FIXTURES)) {
            return s.filter(p -> p.toString().endsWith(".bin")).sorted().toList();
        }
    }

    /** The fixture XML inputs ({@code small.xml}, {@code medium.xml}, {@code bigarray.xml}). */
    public static List<Path> fixtureXmls() throws IOException {
        fixtureImages();
        try (Stream<Path> s = Files.list(FIXTURES)) {
            return s.filter(p -> p.getFileName().toString().matches("[a-z]+\\.xml")).sorted().toList();
        }
    }

    /** The tools 1.1 dump stored next to a fixture image. */
    public static String fixtureDump11(Path image) throws IOException {
        return Files.readString(image.resolveSibling(image.getFileName().toString().replaceFirst("\\.bin$",
                ".dump-tpt11.xml")));
    }

    /** Spec §11.3: the dumpers differ in the final newline only; compare without it. */
    public static String normalise(String xml) {
        return xml.strip();
    }

    public static Result run(Object... command) throws IOException, InterruptedException {
        List<String> args = new ArrayList<>();
        for (Object c : command) {
            args.add(c.toString());
        }
        Process p = new ProcessBuilder(args).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        byte[] out = p.getInputStream().readAllBytes();
        byte[] err = p.getErrorStream().readAllBytes();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("timed out: " + args);
        }
        return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8), new String(err, StandardCharsets.UTF_8));
    }

    /**
     * Both {@code cache_check}s accept the image, the fixtures' independent decoder finds neither
     * errors nor warnings, and tools 1.1 {@code cache_dump} prints {@code expectedXml} (and tools
     * 0.9's too, for format 1, whose dirty flags 0.9 reads).
     */
    public static void verifyWithTools(Path image, int version, String expectedXml) throws Exception {
        Result check09 = run(tools09("cache_check"), image);
        assertThat(check09.exitCode()).as("cache_check 0.9 of %s: %s", image, check09.describe()).isZero();
        Result check11 = run(tools11("cache_check"), image);
        assertThat(check11.exitCode()).as("cache_check 1.1 of %s: %s", image, check11.describe()).isZero();
        Result inspect = run("python3", inspectMeta(), image);
        assertThat(inspect.exitCode()).as("inspect_meta.py of %s: %s", image, inspect.describe()).isZero();
        assertThat(inspect.stdout()).as("inspect_meta.py of %s", image).contains("warnings: 0");
        Result dump11 = run(tools11("cache_dump"), image);
        assertThat(dump11.exitCode()).as("cache_dump 1.1: %s", dump11.describe()).isZero();
        assertThat(normalise(dump11.stdout())).as("cache_dump 1.1 of %s", image).isEqualTo(normalise(expectedXml));
        if (version == 1) {
            Result dump09 = run(tools09("cache_dump"), image);
            assertThat(normalise(dump09.stdout())).as("cache_dump 0.9 of %s", image).isEqualTo(normalise(expectedXml));
        }
    }

    /** What a format's own {@code dump} prints, as XML. */
    public static String dumpXml(MetadataFormat format, BlockIo device) throws IOException {
        StringWriter out = new StringWriter();
        format.dump(device, new io.tiercache.core.tools.XmlImageWriter(out, io.tiercache.core.tools.Progress.NONE));
        return out.toString();
    }
}
