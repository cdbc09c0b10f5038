package io.tiercache.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged daemon end to end, driven as a user would: the tiercache CLI for the tables and
 * real NBD clients (nbdinfo, qemu-io) for the data.
 */
class DaemonIT {
    @TempDir
    Path dir;
    DaemonProcess daemon;

    @BeforeEach
    void start() throws Exception {
        daemon = new DaemonProcess(dir).start("--demo", dir.resolve("var").toString());
    }

    @AfterEach
    void stop() throws Exception {
        daemon.close();
    }

    private Path file(String name, int mib) throws Exception {
        Path f = dir.resolve(name);
        try (RandomAccessFile r = new RandomAccessFile(f.toFile(), "rw")) {
            r.setLength((long) mib << 20);
        }
        return f;
    }

    @Test
    void theDemoDeviceIsExportedOverNbd() throws Exception {
        Proc info = Proc.run(dir, List.of("nbdinfo", daemon.uri("demo"))).ok();
        assertThat(info.out()).contains("export-size: 67108864");
        assertThat(Files.size(dir.resolve("var/demo.img"))).isEqualTo(64L << 20);
        assertThat(daemon.log()).contains("plugin nbd-frontend").contains("plugin smq-policy")
                .doesNotContain("Cannot load plugin").doesNotContain("not started");
    }

    @Test
    void linearDeviceReadAndWrittenByQemuIo() throws Exception {
        Path f = file("lin.img", 64);
        daemon.cli("create", "lin", "--table", "0 131072 linear " + f + " 0").ok();
        Proc io = Proc.run(dir, List.of("qemu-io", "-f", "raw", daemon.uri("lin"),
                "-c", "write -P 0xab 1M 64k", "-c", "read -P 0xab 1M 64k")).ok();
        assertThat(io.out()).contains("wrote 65536/65536 bytes at offset 1048576")
                .contains("read 65536/65536 bytes at offset 1048576").doesNotContain("Pattern verification failed");
        try (RandomAccessFile r = new RandomAccessFile(f.toFile(), "r")) {
            byte[] b = new byte[65536];
            r.seek(1 << 20);
            r.readFully(b);
            for (byte x : b) {
                assertThat(x).isEqualTo((byte) 0xab);
            }
            assertThat(r.readByte()).as("nothing written past the range").isZero();
        }
        assertThat(daemon.cli("table", "lin").ok().out()).isEqualTo("0 131072 linear " + f + " 0\n");
        assertThat(Proc.run(dir, List.of("nbdinfo", "--list", "nbd://127.0.0.1:" + daemon.port)).ok().out())
                .contains("lin").contains("demo");
        daemon.cli("remove", "lin").ok();
        assertThat(Proc.run(dir, List.of("nbdinfo", daemon.uri("lin"))).exit()).as("export gone").isNotZero();
        assertThat(daemon.cli("ls").ok().out()).doesNotContain("lin");
    }

    @Test
    void reloadPreloadsWhileServingAndResumeSwaps() throws Exception {
        Path a = file("a.img", 16);
        Path b = file("b.img", 16);
        Files.write(b, new byte[] {(byte) 0xcd}, java.nio.file.StandardOpenOption.WRITE);
        daemon.cli("create", "sw", "--table", "0 32768 linear " + a + " 0").ok();
        daemon.cli("reload", "sw", "--table", "0 32768 linear " + b + " 0").ok();
        assertThat(daemon.cli("info", "sw").ok().out()).contains("LIVE & INACTIVE").contains("ACTIVE");
        assertThat(Proc.run(dir, List.of("qemu-io", "-f", "raw", daemon.uri("sw"), "-c", "read -P 0 0 512")).ok()
                .out()).doesNotContain("Pattern verification failed");
        daemon.cli("resume", "sw").ok();
        assertThat(daemon.cli("info", "sw").ok().out()).contains("Tables present:    LIVE\n");
        assertThat(Proc.run(dir, List.of("qemu-io", "-f", "raw", daemon.uri("sw"), "-c", "read -P 0xcd 0 1")).ok()
                .out()).doesNotContain("Pattern verification failed");
        assertThat(daemon.cli("table", "sw").ok().out()).contains(b.toString());
    }

    @Test
    void aMalformedTableFailsWithDmWordingAndChangesNothing() throws Exception {
        Path f = file("m.img", 16);
        daemon.cli("create", "mal", "--table", "0 32768 linear " + f + " 0").ok();
        Proc bad = daemon.cli("reload", "mal", "--table", "0 32768 linear " + f);
        assertThat(bad.exit()).isEqualTo(1);
        assertThat(bad.err()).isEqualTo("device-mapper: reload ioctl on mal failed: Invalid argument\nCommand failed\n");
        assertThat(daemon.cli("info", "mal").ok().out()).contains("Tables present:    LIVE\n");
        assertThat(daemon.cli("table", "mal").ok().out()).isEqualTo("0 32768 linear " + f + " 0\n");
        assertThat(daemon.log()).contains("device-mapper: table: mal: linear: Invalid argument count");
        Proc none = daemon.cli("create", "ghost", "--table", "0 8 linear " + dir.resolve("missing.img") + " 0");
        assertThat(none.exit()).isEqualTo(1);
        assertThat(none.err()).startsWith("device-mapper: reload ioctl on ghost failed: No such file or directory");
        assertThat(daemon.cli("ls").ok().out()).doesNotContain("ghost");
        Proc.run(dir, List.of("nbdinfo", daemon.uri("demo"))).ok();
    }

    @Test
    void sigtermSuspendsAndARestartBringsTheDevicesBack() throws Exception {
        Path f = file("keep.img", 16);
        daemon.cli("create", "keep", "--table", "0 32768 linear " + f + " 0").ok();
        assertThat(daemon.terminate()).isZero();
        assertThat(daemon.log()).contains("tiercache daemon stopped");
        daemon = new DaemonProcess(dir).start();
        assertThat(daemon.cli("table", "keep").ok().out()).isEqualTo("0 32768 linear " + f + " 0\n");
        Proc.run(dir, List.of("nbdinfo", daemon.uri("keep"))).ok();
    }
}
