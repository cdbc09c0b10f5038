package io.tiercache.frontend.nbd;

import static org.assertj.core.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs the real NBD clients installed on the machine. A missing tool fails the test and names the
 * Debian package to install: these tests are the interoperability proof, so they never skip.
 */
final class Tools {
    private Tools() {}

    /**
     * The environment for Python-based tools ({@code nbdsh}): Debian's python3, which has the
     * {@code nbd} module, ahead of any other python3 on the PATH (pyenv, virtualenvs).
     */
    static Map<String, String> debianPython() {
        return Map.of("PATH", "/usr/bin:/bin:" + System.getenv().getOrDefault("PATH", ""));
    }

    record Result(int exitCode, String stdout, String stderr) {
        String describe(List<String> command) {
            return String.join(" ", command) + " exited " + exitCode + "\n--- stdout\n" + stdout + "\n--- stderr\n" + stderr;
        }
    }

    /** Fails unless {@code tool} is on the PATH. */
    static void require(String tool, String debianPackage) {
        String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
        for (String dir : path.split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, tool))) {
                return;
            }
        }
        fail(tool + " is not installed: apt-get install " + debianPackage);
    }

    /** Runs a command with a time limit; output is captured in files so large output cannot block. */
    static Result run(Duration timeout, List<String> command) throws IOException, InterruptedException {
        return run(timeout, Map.of(), command);
    }

    /** As {@link #run(Duration, List)}, with extra environment variables. */
    static Result run(Duration timeout, Map<String, String> env, List<String> command) throws IOException, InterruptedException {
        Path out = Files.createTempFile("nbd-tool", ".out");
        Path err = Files.createTempFile("nbd-tool", ".err");
        try {
            ProcessBuilder pb = new ProcessBuilder(command);
            pb.environment().putAll(env);
            Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly().waitFor();
                fail(String.join(" ", command) + " did not finish within " + timeout + "\n--- stderr\n"
                        + Files.readString(err, StandardCharsets.UTF_8));
            }
            return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    /** Runs a command and fails the test with its output unless it exits 0. */
    static Result ok(Duration timeout, String... command) throws IOException, InterruptedException {
        return ok(timeout, Map.of(), command);
    }

    static Result ok(Duration timeout, Map<String, String> env, String... command) throws IOException, InterruptedException {
        Result r = run(timeout, env, List.of(command));
        if (r.exitCode() != 0) {
            fail(r.describe(List.of(command)));
        }
        return r;
    }
}
