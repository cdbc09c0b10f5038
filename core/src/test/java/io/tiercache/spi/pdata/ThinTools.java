package io.tiercache.spi.pdata;

import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * thin-provisioning-tools 0.9 and 1.1 and the fixtures' independent decoder, for tests. A missing
 * tool fails the test with the way to install it: these checks are the point of the tests.
 */
final class ThinTools {
    static final Path SHARED = sharedFolder();

    /**
     * The project's shared folder: {@code $TIERCACHE_SHARED}, else {@code shared/} beside the
     * repository (tests run in a module folder, so that is {@code ../../shared}).
     */
    private static Path sharedFolder() {
        String env = System.getenv("TIERCACHE_SHARED");
        if (env != null && !env.isBlank()) {
            return Path.of(env);
        }
        return Path.of("").toAbsolutePath().getParent().getParent().resolve("shared");
    }
    static final Path FIXTURES = SHARED.resolve("fixtures/metadata");
    private static final Path TPT09 = Path.of("/usr/sbin");

    record Result(int exitCode, String stdout, String stderr) {
        String describe() {
            return "exit " + exitCode + "\nstdout:\n" + stdout + "\nstderr:\n" + stderr;
        }
    }

    private ThinTools() {}

    static Path tools09(String tool) {
        Path p = TPT09.resolve(tool);
        if (!Files.isExecutable(p)) {
            fail(p + " is missing: install thin-provisioning-tools 0.9 with "
                    + "`apt-get install -y thin-provisioning-tools`");
        }
        return p;
    }

    static Path tools11(String tool) {
        String env = System.getenv("TPT11");
        Path dir = env != null ? Path.of(env) : Path.of(System.getProperty("user.home"), ".cache/thin-tools-1.1/usr/sbin");
        Path p = dir.resolve(tool);
        if (!Files.isExecutable(p)) {
            fail(p + " is missing: install thin-provisioning-tools 1.1 with `bash "
                    + SHARED.resolve("tools/install-thin-tools-1.1.sh") + "` (or set TPT11 to the folder of its binaries)");
        }
        return p;
    }

    static Path inspectMeta() {
        Path p = FIXTURES.resolve("inspect_meta.py");
        if (!Files.isRegularFile(p)) {
            fail(p + " is missing: the shared fixtures are expected under " + SHARED + " (set TIERCACHE_SHARED)");
        }
        return p;
    }

    static Result run(Object... command) throws IOException, InterruptedException {
        List<String> args = new ArrayList<>();
        for (Object c : command) {
            args.add(c.toString());
        }
        Process p = new ProcessBuilder(args).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        byte[] out = p.getInputStream().readAllBytes();
        byte[] err = p.getErrorStream().readAllBytes();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("timed out: " + args);
        }
        return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8), new String(err, StandardCharsets.UTF_8));
    }
}
