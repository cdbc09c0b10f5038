package io.tiercache.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.RandomAccessFile;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** flakey and delay through the daemon, seen by a real NBD client, as later tests will use them. */
class FaultTargetsIT {
    @TempDir
    Path dir;
    DaemonProcess daemon;
    Path file;

    @BeforeEach
    void start() throws Exception {
        daemon = new DaemonProcess(dir).start();
        file = dir.resolve("f.img");
        try (RandomAccessFile r = new RandomAccessFile(file.toFile(), "rw")) {
            r.setLength(16 << 20);
        }
    }

    @AfterEach
    void stop() throws Exception {
        daemon.close();
    }

    private Proc qemuIo(String export, String... cmds) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of("qemu-io", "-f", "raw", daemon.uri(export)));
        for (String c : cmds) {
            cmd.add("-c");
            cmd.add(c);
        }
        return Proc.run(dir, cmd);
    }

    @Test
    void flakeyDownIntervalWithErrorReadsFailsReadsOnly() throws Exception {
        // up 0 s, down 3600 s: always in the down interval.
        daemon.cli("create", "fl", "--table", "0 32768 flakey " + file + " 0 0 3600 1 error_reads").ok();
        Proc w = qemuIo("fl", "write -P 0x5a 0 4k");
        assertThat(w.out()).contains("wrote 4096/4096 bytes");
        Proc r = qemuIo("fl", "read 0 4k");
        assertThat(r.out() + r.err()).contains("Input/output error");
        // Swap in a linear table over the same file: the write really happened.
        daemon.cli("reload", "fl", "--table", "0 32768 linear " + file + " 0").ok();
        daemon.cli("resume", "fl").ok();
        assertThat(qemuIo("fl", "read -P 0x5a 0 4k").out()).contains("read 4096/4096")
                .doesNotContain("Pattern verification failed");
    }

    @Test
    void flakeyDropWritesLosesWritesSilently() throws Exception {
        daemon.cli("create", "dw", "--table", "0 32768 flakey " + file + " 0 0 3600 1 drop_writes").ok();
        assertThat(qemuIo("dw", "write -P 0x77 0 4k").out()).contains("wrote 4096/4096 bytes");
        assertThat(qemuIo("dw", "read -P 0 0 4k").out()).doesNotContain("Pattern verification failed");
    }

    @Test
    void delaySlowsReadsDown() throws Exception {
        daemon.cli("create", "slow", "--table", "0 32768 delay " + file + " 0 300").ok();
        long t0 = System.nanoTime();
        Proc r = qemuIo("slow", "read 0 4k", "read 4k 4k").ok();
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertThat(r.out()).contains("read 4096/4096");
        assertThat(ms).as("two reads each delayed 300 ms").isGreaterThanOrEqualTo(600);
        assertThat(daemon.cli("status", "slow").ok().out()).startsWith("0 32768 delay ");
    }
}
