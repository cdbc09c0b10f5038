package io.tiercache.core.control;

import static org.assertj.core.api.Assertions.assertThat;

import io.tiercache.core.metrics.DaemonMetrics;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The daemon-side verbs without a socket: dmsetup's texts and picocli-like usage errors. */
class ControlCommandsTest {
    @TempDir
    Path dir;

    private ControlFixture fx;
    private ControlCommands commands;

    @BeforeEach
    void setUp() throws IOException {
        fx = ControlFixture.unstarted(dir);
        commands = new ControlCommands(fx.dm, new DaemonMetrics(fx.dm, Map.of()));
    }

    private Response run(String... words) {
        return commands.execute(List.of(words), () -> false);
    }

    @Test
    void usageErrorsExitTwo() {
        assertThat(run("create")).isEqualTo(new Response(2, "",
                "Missing required parameter: 'NAME'\nUsage: tiercache create NAME [--notable | --table TABLE]\n"));
        assertThat(run("resume", "a", "b").err()).startsWith("Unmatched argument at index 1: 'b'\n");
        assertThat(run("suspend", "--bogus", "a").err()).startsWith("Unknown option: '--bogus'\n");
        assertThat(run("load", "a", "--table").err()).startsWith("Missing required parameter for option '--table'");
        assertThat(run("message", "a", "x", "w").err())
                .startsWith("Invalid value for positional parameter at index 1 (SECTOR): 'x'");
        assertThat(run("wait", "a", "-1").status()).isEqualTo(2);
        assertThat(run("frobnicate")).isEqualTo(new Response(2, "", "Unknown command: 'frobnicate'\n"));
        assertThat(run()).extracting(Response::status).isEqualTo(2);
    }

    @Test
    void createWithoutTableThenLoadAndResume() {
        assertThat(run("create", "d", "--notable")).isEqualTo(Response.ok());
        assertThat(run("info", "d").out()).contains("Tables present:    None\n").contains("Number of targets: 0\n");
        assertThat(run("status", "d")).isEqualTo(Response.ok("\n"));
        assertThat(run("table")).isEqualTo(Response.ok("d: \n"));
        assertThat(run("load", "d", "--table", fx.linear(0, 8, 0))).isEqualTo(Response.ok());
        assertThat(run("info", "d").out()).contains("Tables present:    INACTIVE\n");
        assertThat(run("clear", "d")).isEqualTo(Response.ok());
        assertThat(run("info", "d").out()).contains("Tables present:    None\n");
    }

    @Test
    void metricsPrintsEveryDeviceInPrometheusText() {
        assertThat(run("create", "d", "--table", fx.linear(0, 8, 0))).isEqualTo(Response.ok());
        Response r = run("metrics");
        assertThat(r.status()).isZero();
        var samples = io.tiercache.core.metrics.Samples.parse(r.out());
        assertThat(samples).containsEntry("tiercache_devices", 1.0)
                .containsEntry("tiercache_device_size_bytes{device=\"d\"}", 4096.0)
                .containsKey("tiercache_jvm_heap_used_bytes");
        assertThat(run("metrics", "d").status()).isEqualTo(2);
    }

    @Test
    void anEmptyTableCreatesATablelessDevice() {
        assertThat(run("create", "d", "--table", "# nothing\n\n")).isEqualTo(Response.ok());
        assertThat(run("info", "d").out()).contains("Tables present:    None\n");
        assertThat(run("reload", "d", "--table", "")).isEqualTo(
                Response.failed("device-mapper: reload ioctl on d failed: Invalid argument"));
    }

    @Test
    void aMalformedLineIsReportedBeforeAnyIoctl() {
        assertThat(run("create", "d", "--table", "x 8 linear f 0"))
                .isEqualTo(Response.failed("Invalid format on line 1 of table"));
        assertThat(run("ls").out()).isEqualTo("No devices found\n");
    }

    @Test
    void aFailedCreateNamesTheFailingIoctlAndLeavesNoDevice() {
        assertThat(run("create", "d", "--table", "0 8 event refuse")).isEqualTo(
                Response.failed("device-mapper: resume ioctl on d failed: Invalid argument"));
        assertThat(run("create", "d", "--table", "0 8 nosuch")).isEqualTo(
                Response.failed("device-mapper: reload ioctl on d failed: Invalid argument"));
        assertThat(run("create", "bad/name", "--table", "0 8 event")).isEqualTo(
                Response.failed("device-mapper: create ioctl on bad/name failed: Invalid argument"));
        assertThat(run("ls").out()).isEqualTo("No devices found\n");
    }

    @Test
    void unknownDevices() {
        for (String verb : List.of("info", "status", "table")) {
            assertThat(run(verb, "nope")).isEqualTo(new Response(1, "", "Device does not exist.\nCommand failed\n"));
        }
        assertThat(run("resume", "nope")).isEqualTo(
                Response.failed("device-mapper: resume ioctl on nope failed: No such device or address"));
        assertThat(run("suspend", "nope").err()).startsWith("device-mapper: suspend ioctl on nope failed: ");
        assertThat(run("remove", "nope").err()).startsWith("device-mapper: remove ioctl on nope failed: ");
        assertThat(run("clear", "nope").err()).startsWith("device-mapper: clear ioctl on nope failed: ");
        assertThat(run("message", "nope", "0", "x").err()).startsWith("device-mapper: message ioctl on nope failed: ");
        assertThat(run("wait", "nope").err()).startsWith("device-mapper: waitevent ioctl on nope failed: ");
        assertThat(run("info")).isEqualTo(Response.ok("No devices found\n"));
        assertThat(run("status")).isEqualTo(Response.ok("No devices found\n"));
    }

    @Test
    void messagesReachTheTargetHoldingTheSector() {
        assertThat(run("create", "ev", "--table", "0 8 event\n8 8 event")).isEqualTo(Response.ok());
        assertThat(run("message", "ev", "9", "ping", "-x").status()).as("a dash word needs --").isEqualTo(2);
        assertThat(run("message", "ev", "9", "--", "ping", "-x")).isEqualTo(Response.ok("pong ping -x\n"));
        assertThat(run("message", "ev", "16", "ping")).isEqualTo(
                Response.failed("device-mapper: message ioctl on ev failed: Invalid argument"));
        assertThat(run("status", "ev")).isEqualTo(Response.ok("0 8 event ok\n8 8 event ok\n"));
    }

    @Test
    void infoOfEveryDeviceIsSeparatedByBlankLines() {
        run("create", "a", "--table", "0 8 event");
        run("create", "b", "--table", "0 8 event");
        run("suspend", "b");
        assertThat(run("info").out()).isEqualTo("""
                Name:              a
                State:             ACTIVE
                Tables present:    LIVE
                Open count:        0
                Event number:      0
                Number of targets: 1

                Name:              b
                State:             SUSPENDED
                Tables present:    LIVE
                Open count:        0
                Event number:      0
                Number of targets: 1

                """);
    }

    @Test
    void targetsListEveryType() {
        assertThat(run("targets")).isEqualTo(Response.ok("event            v0.1.2\nlinear           v1.4.0\n"));
    }

    @Test
    void waitReturnsAtOnceWhenTheCounterIsAlreadyPast() {
        run("create", "ev", "--table", "0 8 event");
        run("message", "ev", "0", "raise");
        assertThat(run("wait", "ev")).isEqualTo(Response.ok());
        assertThat(run("wait", "--verbose", "ev", "0")).isEqualTo(Response.ok("1\n"));
    }
}
