package io.tiercache.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The two upstream reproducers of {@code examples/upstream-reproducers/} (2026 fixes 322586745bd1
 * and a373b3d5289e) run as a user would, against the packaged daemon: each must exit 0 (tiercache
 * refused the unsafe transition, lost no data, left no needs_check) and print the kernel's errors
 * and log lines.
 */
class ReproducersIT {
    private static final Path SCRIPTS = Path.of("..", "examples", "upstream-reproducers").toAbsolutePath().normalize();

    @TempDir
    Path dir;

    private String run(String script) throws Exception {
        Proc.requireProgram("fio");
        Path out = dir.resolve(script + ".out");
        ProcessBuilder pb = new ProcessBuilder("bash", SCRIPTS.resolve(script).toString()).directory(dir.toFile())
                .redirectErrorStream(true).redirectOutput(out.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        pb.environment().put("TIERCACHE", DaemonProcess.HOME.resolve("bin/tiercache").toString());
        pb.environment().put("PORT", Integer.toString(DaemonProcess.freePort()));
        pb.environment().put("TMPDIR", dir.toString());
        Process p = pb.start();
        if (!p.waitFor(600, TimeUnit.SECONDS)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            throw new AssertionError(script + " timed out:\n" + Files.readString(out, StandardCharsets.UTF_8));
        }
        String text = Files.readString(out, StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(text).isZero();
        assertThat(text).as("no unsafe transition").doesNotContain("UNSAFE:").contains("RESULT: OK");
        try (var left = Files.list(dir)) {
            assertThat(left.filter(f -> f.getFileName().toString().startsWith("tiercache-repro.")).toList())
                    .as("the script removes its temp folder").isEmpty();
        }
        return text;
    }

    @Test
    void uncleanShutdownThenPassthroughIsRefused() throws Exception {
        String text = run("unclean-shutdown-passthrough.sh");
        assertThat(text).contains("dirty blocks (status $14): 1")
                .contains("cache device block 0 holds: 50   origin block 0 holds: 4f")
                .contains("resume ioctl on cache failed: Invalid argument")
                .contains("cache: unable to resume into passthrough mode after unclean shutdown")
                .contains("offset 0 reads back the written data")
                .doesNotContain("did not stop on SIGTERM");
    }

    @Test
    void preloadedPassthroughIsRefusedWhileBlocksAreDirty() throws Exception {
        String text = run("preload-passthrough.sh");
        assertThat(text).contains("resume ioctl on cache failed: Device or resource busy")
                .contains("cannot enter passthrough mode unless all blocks are clean")
                .contains("could not load cache mappings")
                .contains("State:             SUSPENDED")
                .contains("unable to resume cache due to missing proper cache table reload")
                .contains("resume ioctl on cache failed: Invalid argument")
                .contains("dirty blocks (status $14): 1")
                .contains("offset 0 reads back the written data")
                .doesNotContain("did not stop on SIGTERM");
    }
}
