package io.tiercache.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs a command to completion and keeps what it printed. Missing programs fail, never skip. */
record Proc(int exit, String out, String err) {
    /** Debian packages that provide the client programs the tests drive. */
    private static final Map<String, String> PACKAGES = Map.of("nbdinfo", "libnbd-bin", "nbdcopy", "libnbd-bin",
            "nbdsh", "python3-libnbd", "qemu-io", "qemu-utils", "qemu-img", "qemu-utils", "fio", "fio");

    static Proc run(Path cwd, Map<String, String> env, List<String> cmd) throws IOException, InterruptedException {
        requireProgram(cmd.getFirst());
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(cwd.toFile());
        pb.environment().putAll(env);
        Path out = Files.createTempFile("proc", ".out");
        Path err = Files.createTempFile("proc", ".err");
        pb.redirectOutput(out.toFile()).redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.from(
                Path.of("/dev/null").toFile()));
        Process p = pb.start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("timed out: " + cmd);
        }
        Proc r = new Proc(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
        Files.delete(out);
        Files.delete(err);
        return r;
    }

    static Proc run(Path cwd, List<String> cmd) throws IOException, InterruptedException {
        return run(cwd, Map.of(), cmd);
    }

    /** Fails the test, naming the Debian package, when a client program is not installed. */
    static void requireProgram(String program) {
        if (program.contains("/")) {
            return;
        }
        for (String dir : System.getenv("PATH").split(":")) {
            if (Files.isExecutable(Path.of(dir, program))) {
                return;
            }
        }
        throw new AssertionError(program + " is not installed: apt-get install "
                + PACKAGES.getOrDefault(program, program) + " (.ci/run does this)");
    }

    Proc ok() {
        if (exit != 0) {
            throw new AssertionError("exit " + exit + "\nstdout: " + out + "\nstderr: " + err);
        }
        return this;
    }
}
