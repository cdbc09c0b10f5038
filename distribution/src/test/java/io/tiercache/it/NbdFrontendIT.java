package io.tiercache.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The NBD frontend as the packaged daemon runs it, configured through its settings file: TLS
 * required (certificates made with openssl), block status contexts, multi-conn and zero-copy reads
 * of a linear device, checked with nbdinfo, nbdcopy and qemu-img.
 */
class NbdFrontendIT {
    @TempDir
    Path dir;

    private Process daemon;
    private int port;
    private Path control;

    @AfterEach
    void stop() throws Exception {
        if (daemon != null && daemon.isAlive()) {
            daemon.destroy();
            if (!daemon.waitFor(60, TimeUnit.SECONDS)) {
                daemon.destroyForcibly();
            }
        }
    }

    /** Starts bin/tiercache daemon with these settings in its conf file; returns once it answers. */
    private void startDaemon(Map<String, String> settings) throws Exception {
        port = DaemonProcess.freePort();
        control = dir.resolve("control.sock");
        StringBuilder conf = new StringBuilder();
        settings.forEach((k, v) -> conf.append(k).append(" = ").append(v).append('\n'));
        Path confFile = Files.writeString(dir.resolve("tiercache.properties"), conf);
        ProcessBuilder pb = new ProcessBuilder(DaemonProcess.HOME.resolve("bin/tiercache").toString(), "daemon",
                "--control", control.toString(), "--nbd-listen", "127.0.0.1:" + port, "--state",
                dir.resolve("state").toString()).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("daemon.log").toFile());
        pb.environment().put("TIERCACHE_CONF", confFile.toString());
        daemon = pb.start();
        for (int i = 0; i < 300; i++) {
            if (!daemon.isAlive()) {
                throw new AssertionError("daemon exited:\n" + Files.readString(dir.resolve("daemon.log")));
            }
            if (Files.exists(control) && cli("ls").exit() == 0) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("daemon did not come up:\n" + Files.readString(dir.resolve("daemon.log")));
    }

    private Proc cli(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(DaemonProcess.HOME.resolve("bin/tiercache").toString()));
        cmd.addAll(List.of(args));
        return Proc.run(dir, Map.of("TIERCACHE_CONTROL", control.toString()), cmd);
    }

    /** A 32 MiB file of random bytes served as linear device {@code name}. */
    private Path linearDevice(String name) throws Exception {
        Path f = dir.resolve(name + ".img");
        byte[] data = new byte[32 << 20];
        new Random(7).nextBytes(data);
        Files.write(f, data);
        cli("create", name, "--table", "0 65536 linear " + f + " 0").ok();
        return f;
    }

    @Test
    void requiredTlsWithCertificatesFromTheSettingsFile() throws Exception {
        Path pki = Files.createDirectories(dir.resolve("pki"));
        Path client = Files.createDirectories(dir.resolve("client"));
        openssl(pki, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout",
                "ca-key.pem", "-out", "ca-cert.pem", "-days", "2", "-subj", "/CN=it ca", "-addext",
                "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign");
        openssl(pki, "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout",
                "server-key.pem", "-out", "server.csr", "-subj", "/CN=localhost");
        Files.writeString(pki.resolve("ext"), "subjectAltName=DNS:localhost,IP:127.0.0.1\n");
        openssl(pki, "x509", "-req", "-in", "server.csr", "-CA", "ca-cert.pem", "-CAkey", "ca-key.pem",
                "-CAcreateserial", "-out", "server-cert.pem", "-days", "2", "-extfile", "ext");
        Files.copy(pki.resolve("ca-cert.pem"), client.resolve("ca-cert.pem"));
        startDaemon(Map.of("nbd.tls", "require", "nbd.tls.cert", pki.resolve("server-cert.pem").toString(),
                "nbd.tls.key", pki.resolve("server-key.pem").toString()));
        Path image = linearDevice("sec");
        String uri = "nbds://127.0.0.1:" + port + "/sec?tls-certificates=" + client;

        assertThat(Proc.run(dir, List.of("nbdinfo", uri)).ok().out()).contains("with TLS", "export-size: 33554432");
        assertThat(Proc.run(dir, List.of("nbdinfo", "nbd://127.0.0.1:" + port + "/sec")).exit()).isNotZero();
        Path back = dir.resolve("back.img");
        Proc.run(dir, List.of("nbdcopy", uri, back.toString())).ok();
        assertThat(Files.mismatch(image, back)).isEqualTo(-1);
        assertThat(Files.readString(dir.resolve("daemon.log"))).contains("TLS require");
    }

    @Test
    void blockStatusMultiConnAndZeroCopyReadsOfALinearDevice() throws Exception {
        startDaemon(Map.of());
        Path image = linearDevice("lin");
        String uri = "nbd://127.0.0.1:" + port + "/lin";
        String list = Proc.run(dir, List.of("nbdinfo", "--list", "nbd://127.0.0.1:" + port)).ok().out();
        assertThat(list).contains("base:allocation", "tiercache:cache", "can_multi_conn: true", "can_df: true");
        // A linear device is no cache: one extent, on the origin only; allocation unknown.
        assertThat(Proc.run(dir, List.of("nbdinfo", "--map=tiercache:cache", uri)).ok().out().strip())
                .matches("0\\s+33554432\\s+0");
        assertThat(Proc.run(dir, List.of("nbdinfo", "--map", uri)).ok().out().strip()).matches("0\\s+33554432\\s+0\\s+data");
        // qemu-img reads in large requests: those go out by sendfile from the device's file.
        Path back = dir.resolve("copy.img");
        Proc.run(dir, List.of("qemu-img", "convert", "-f", "raw", "-O", "raw", uri, back.toString())).ok();
        assertThat(Files.mismatch(image, back)).isEqualTo(-1);
        // Four connections at once, each verifying what it wrote.
        Proc fio = Proc.run(dir, List.of("fio", "--name=multi", "--ioengine=nbd", "--uri=" + uri, "--rw=randwrite",
                "--bs=64k", "--iodepth=8", "--numjobs=4", "--size=8m", "--offset_increment=8m", "--verify=crc32c",
                "--do_verify=1", "--verify_fatal=1", "--verify_state_save=0", "--group_reporting")).ok();
        assertThat(fio.err()).doesNotContainIgnoringCase("verify");
        try (RandomAccessFile r = new RandomAccessFile(image.toFile(), "r")) {
            assertThat(r.length()).isEqualTo(32 << 20);
        }
    }

    /**
     * The tiercache:cache context on a cache device: nbdinfo's map shows the blocks the status line
     * counts as used and dirty, and CMD_CACHE (nbdsh's cache) makes the policy promote.
     */
    @Test
    void cacheMapMatchesTheStatusLineAndCacheCommandPromotes() throws Exception {
        startDaemon(Map.of());
        for (String f : List.of("meta", "ssd", "hdd")) {
            try (RandomAccessFile r = new RandomAccessFile(dir.resolve(f).toFile(), "rw")) {
                r.setLength(f.equals("hdd") ? 32 << 20 : f.equals("ssd") ? 8 << 20 : 4 << 20);
            }
        }
        String devices = dir.resolve("meta") + " " + dir.resolve("ssd") + " " + dir.resolve("hdd");
        cli("create", "wb", "--table", "0 65536 cache " + devices + " 128 0 smq 2 migration_threshold 0").ok();
        String uri = "nbd://127.0.0.1:" + port + "/wb";
        // Full-block writes are promoted at once (no copy), dirty: blocks 0, 1 and 5.
        Proc.run(dir, List.of("qemu-io", "-f", "raw", uri, "-c", "write -P 0x5a 0 128k", "-c",
                "write -P 0xa5 320k 64k")).ok();
        long[] counts = statusCounts("wb");
        assertThat(counts).containsExactly(3, 3);
        String map = Proc.run(dir, List.of("nbdinfo", "--map=tiercache:cache", uri)).ok().out();
        assertThat(mapped(map, 1)).as("cached bytes in " + map).isEqualTo(counts[0] * 65536);
        assertThat(mapped(map, 2)).as("dirty bytes in " + map).isEqualTo(counts[1] * 65536);
        assertThat(map.strip().lines().map(String::strip).toList().getFirst()).matches("0\\s+131072\\s+3.*");

        cli("remove", "wb").ok();
        cli("create", "pf", "--table", "0 65536 cache " + devices + " 128 0 lru 0").ok();
        String pf = "nbd://127.0.0.1:" + port + "/pf";
        // nbdsh runs on Debian's python3, which has the nbd module (a python earlier on PATH may not).
        Proc.run(dir, Map.of("PATH", "/usr/bin:/bin:" + System.getenv().getOrDefault("PATH", "")),
                List.of("nbdsh", "-u", pf, "-c", "h.cache(4 * 65536, 16 * 65536)")).ok();
        for (int i = 0; i < 100 && statusCounts("pf")[0] < 7; i++) {
            Thread.sleep(100); // the three dirty blocks kept from wb, and four promotions
        }
        String after = Proc.run(dir, List.of("nbdinfo", "--map=tiercache:cache", pf)).ok().out();
        assertThat(statusCounts("pf")[0]).isEqualTo(7);
        assertThat(mapped(after, 1)).as(after).isEqualTo(7 * 65536L);
    }

    /** Used and dirty cache blocks from the status line of a cache device. */
    private long[] statusCounts(String device) throws Exception {
        String[] w = cli("status", device).ok().out().strip().split("\\s+");
        int at = List.of(w).indexOf("cache");
        return new long[] {Long.parseLong(w[at + 4].split("/")[0]), Long.parseLong(w[at + 11])};
    }

    /** Bytes of nbdinfo map lines ({@code offset length flags ...}) whose flags have {@code bit}. */
    private static long mapped(String map, int bit) {
        return map.strip().lines().map(l -> l.strip().split("\\s+"))
                .filter(w -> (Integer.parseInt(w[2]) & bit) != 0).mapToLong(w -> Long.parseLong(w[1])).sum();
    }

    private void openssl(Path cwd, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("openssl"));
        cmd.addAll(List.of(args));
        Proc.run(cwd, cmd).ok();
    }
}
