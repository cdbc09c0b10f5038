package io.tiercache.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.tiercache.core.control.ControlFixture;
import io.tiercache.spi.SpiVersion;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The CLI against a real control server and device mapper, as a user would type it. */
@Timeout(30)
class TiercacheCommandTest {
    @TempDir
    Path dir;

    private ControlFixture fx;
    private String lin;

    record Run(int status, String out, String err) {}

    @BeforeEach
    void start() throws IOException {
        fx = ControlFixture.start(dir);
        lin = fx.linear(0, 131072, 0);
    }

    @AfterEach
    void stop() {
        fx.close();
    }

    private Run run(String... args) {
        return runWithStdin("", args);
    }

    private Run runWithStdin(String stdin, String... args) {
        return runAt(fx.socket, stdin, args);
    }

    private static Run runAt(Path socket, String stdin, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(
                new TiercacheCommand(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8))));
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        List<String> all = new ArrayList<>(List.of("--control", socket.toString()));
        all.addAll(List.of(args));
        int status = cl.execute(all.toArray(String[]::new));
        return new Run(status, out.toString(), err.toString());
    }

    private Run createLin() {
        Run r = run("create", "lin", "--table", lin);
        assertThat(r).isEqualTo(new Run(0, "", ""));
        return r;
    }

    @Test
    void createThenTableStatusInfoLs() {
        createLin();
        assertThat(run("table", "lin")).isEqualTo(new Run(0, lin + "\n", ""));
        assertThat(run("status", "lin")).isEqualTo(new Run(0, "0 131072 linear \n", ""));
        assertThat(run("status")).isEqualTo(new Run(0, "lin: 0 131072 linear \n", ""));
        assertThat(run("table")).isEqualTo(new Run(0, "lin: " + lin + "\n", ""));
        assertThat(run("ls")).isEqualTo(new Run(0, "lin\n", ""));
        assertThat(run("info", "lin")).isEqualTo(new Run(0, """
                Name:              lin
                State:             ACTIVE
                Tables present:    LIVE
                Open count:        0
                Event number:      0
                Number of targets: 1

                """, ""));
    }

    @Test
    void reloadFromStdinThenResumeSwapsTables() {
        createLin();
        String half = fx.linear(0, 65536, 65536);
        assertThat(runWithStdin(half + "\n", "reload", "lin")).isEqualTo(new Run(0, "", ""));
        assertThat(run("info", "lin").out()).contains("State:             ACTIVE\n")
                .contains("Tables present:    LIVE & INACTIVE\n");
        assertThat(run("table", "lin").out()).isEqualTo(lin + "\n");
        assertThat(run("table", "--inactive", "lin").out()).isEqualTo(half + "\n");
        assertThat(run("resume", "lin")).isEqualTo(new Run(0, "", ""));
        assertThat(run("table", "lin").out()).isEqualTo(half + "\n");
        assertThat(run("info", "lin").out()).contains("Tables present:    LIVE\n");
    }

    @Test
    void severalStdinLinesAreSeveralTargets() {
        String table = fx.linear(0, 65536, 0) + "\n" + fx.linear(65536, 65536, 0) + "\n";
        assertThat(runWithStdin(table, "create", "two")).isEqualTo(new Run(0, "", ""));
        assertThat(run("table", "two").out()).isEqualTo(table);
        assertThat(run("info", "two").out()).contains("Number of targets: 2\n");
    }

    @Test
    void aRefusedTableFailsLikeDmsetupAndLeavesTheLiveOne() {
        createLin();
        Run r = run("reload", "lin", "--table", "0 131072 linear " + fx.image);
        assertThat(r).isEqualTo(new Run(1, "", "device-mapper: reload ioctl on lin failed: Invalid argument\n"
                + "Command failed\n"));
        assertThat(run("table", "lin").out()).isEqualTo(lin + "\n");
        assertThat(run("info", "lin").out()).contains("Tables present:    LIVE\n");
    }

    @Test
    void createOfAnExistingNameIsBusy() {
        createLin();
        assertThat(run("create", "lin", "--table", lin)).isEqualTo(new Run(1, "",
                "device-mapper: create ioctl on lin failed: Device or resource busy\nCommand failed\n"));
    }

    @Test
    void aFailedCreateLeavesNoDevice() {
        Run r = run("create", "lin", "--table", "0 131072 linear " + dir.resolve("missing.img") + " 0");
        assertThat(r.status()).isEqualTo(1);
        assertThat(r.err()).isEqualTo("device-mapper: reload ioctl on lin failed: No such file or directory\n"
                + "Command failed\n");
        assertThat(run("ls").out()).isEqualTo("No devices found\n");
    }

    @Test
    void suspendResumeRemove() {
        createLin();
        assertThat(run("suspend", "--noflush", "lin")).isEqualTo(new Run(0, "", ""));
        assertThat(run("info", "lin").out()).contains("State:             SUSPENDED\n");
        assertThat(run("resume", "lin").status()).isZero();
        assertThat(run("remove", "lin")).isEqualTo(new Run(0, "", ""));
        assertThat(run("ls")).isEqualTo(new Run(0, "No devices found\n", ""));
        assertThat(run("info", "lin")).isEqualTo(new Run(1, "", "Device does not exist.\nCommand failed\n"));
    }

    @Test
    void waitReturnsAfterAnEvent() throws Exception {
        assertThat(run("create", "ev", "--table", "0 8 event").status()).isZero();
        CompletableFuture<Run> waiting = CompletableFuture.supplyAsync(() -> run("wait", "-v", "ev"));
        Thread.sleep(200);
        assertThat(waiting).isNotDone();
        assertThat(run("message", "ev", "0", "ping", "me")).isEqualTo(new Run(0, "pong ping me\n", ""));
        assertThat(run("message", "ev", "0", "raise")).isEqualTo(new Run(0, "", ""));
        assertThat(waiting.get(10, TimeUnit.SECONDS)).isEqualTo(new Run(0, "1\n", ""));
        assertThat(run("wait", "ev", "0")).as("already past").isEqualTo(new Run(0, "", ""));
    }

    @Test
    void targets() {
        assertThat(run("targets")).isEqualTo(new Run(0, "event            v0.1.2\nlinear           v1.4.0\n", ""));
    }

    @Test
    void controlMayFollowTheSubcommand() {
        createLin();
        Run r = runAt(dir.resolve("elsewhere.sock"), "", "ls", "--control", fx.socket.toString());
        assertThat(r).isEqualTo(new Run(0, "lin\n", ""));
    }

    @Test
    void socketIsOwnerOnly() throws IOException {
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(fx.socket))).isEqualTo("rw-------");
    }

    @Test
    void noDaemonListening() {
        Path nobody = dir.resolve("nobody.sock");
        Run r = runAt(nobody, "", "ls");
        assertThat(r.status()).isEqualTo(1);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).startsWith("tiercache: cannot reach the daemon at " + nobody + ": ")
                .endsWith(" (is 'tiercache daemon' running?)\n");
    }

    @Test
    void usageErrorsAreCaughtByTheCli() {
        Run r = run("create");
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err()).startsWith("Missing required parameter: 'NAME'");
        assertThat(run("message", "lin", "x", "y").status()).isEqualTo(2);
        assertThat(run().status()).isEqualTo(2);
    }

    @Test
    void version() {
        assertThat(run("--version")).isEqualTo(new Run(0, "tiercache " + SpiVersion.tiercache() + "\n", ""));
    }

    @Test
    void demoImageAndTable() throws IOException {
        Path image = DemoDevice.prepare(dir.resolve("demo dir"));
        assertThat(Files.size(image)).isEqualTo(64L << 20);
        assertThat(DemoDevice.table(image)).isEqualTo("0 131072 linear " + image.toString().replace(" ", "\\ ") + " 0");
        assertThat(run("create", "demo", "--table", DemoDevice.table(image))).isEqualTo(new Run(0, "", ""));
        assertThat(run("table", "demo").out()).isEqualTo(DemoDevice.table(image) + "\n");
    }
}
