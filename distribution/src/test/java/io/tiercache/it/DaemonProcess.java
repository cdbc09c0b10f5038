package io.tiercache.it;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The packaged daemon ({@code target/tiercache/bin/tiercache daemon}) run as a real process on
 * loopback, with its own control socket, state folder and NBD port, and the CLI to drive it.
 */
final class DaemonProcess implements AutoCloseable {
    static final Path HOME = Path.of(System.getProperty("tiercache.home", "target/tiercache")).toAbsolutePath();

    final Path dir;
    final Path control;
    final int port;
    final Path log;
    private Process process;

    DaemonProcess(Path dir) throws IOException {
        this.dir = dir;
        this.control = dir.resolve("run/control.sock");
        this.port = freePort();
        this.log = dir.resolve("daemon.log");
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    String uri(String export) {
        return "nbd://127.0.0.1:" + port + "/" + export;
    }

    /** Starts the daemon with {@code extra} flags and waits until its control socket answers. */
    DaemonProcess start(String... extra) throws Exception {
        return start(true, extra);
    }

    /**
     * As {@link #start(String...)}; without {@code launcherProbe} readiness is a connection to the
     * control socket (bound after the recorded devices are restored) rather than a {@code ls} run by
     * the launcher, which costs a JVM start per probe.
     */
    DaemonProcess start(boolean launcherProbe, String... extra) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(HOME.resolve("bin/tiercache").toString(), "daemon",
                "--control", control.toString(), "--nbd-listen", "127.0.0.1:" + port,
                "--state", dir.resolve("state").toString()));
        cmd.addAll(List.of(extra));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        process = pb.start();
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < end) {
            if (!process.isAlive()) {
                throw new AssertionError("daemon exited " + process.exitValue() + ":\n" + log());
            }
            if (Files.exists(control) && (launcherProbe ? cli("ls").exit() == 0
                    : io.tiercache.core.control.ControlServer.isListening(control))) {
                return this;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("daemon did not come up:\n" + log());
    }

    Proc cli(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(HOME.resolve("bin/tiercache").toString()));
        cmd.addAll(List.of(args));
        return Proc.run(dir, java.util.Map.of("TIERCACHE_CONTROL", control.toString()), cmd);
    }

    String log() throws IOException {
        return Files.exists(log) ? Files.readString(log) : "";
    }

    /** SIGTERM, as systemd stops a service; returns the exit status. */
    int terminate() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("daemon ignored SIGTERM");
        }
        return process.exitValue();
    }

    /**
     * An unclean stop: SIGKILL to the daemon's JVM itself. {@code bin/tiercache} execs java, so the
     * started process is the JVM, not a wrapper shell; this is checked before the kill.
     */
    void kill() throws InterruptedException {
        String command = process.info().command().orElse("");
        if (!command.endsWith("/java")) {
            throw new AssertionError("pid " + process.pid() + " is not the daemon's JVM but " + command);
        }
        process.destroyForcibly(); // SIGKILL on Linux
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new AssertionError("daemon survived SIGKILL");
        }
        if (process.exitValue() != 128 + 9) {
            throw new AssertionError("daemon exited " + process.exitValue() + ", not by SIGKILL");
        }
    }

    @Override
    public void close() throws Exception {
        if (process != null && process.isAlive()) {
            terminate();
        }
    }
}
