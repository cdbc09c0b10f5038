package io.tiercache.frontend.nbd;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Interoperability with the real clients: libnbd's nbdinfo/nbdcopy, qemu-io/qemu-img and fio's nbd
 * engine, over TCP and a unix socket. A missing tool fails the test, naming its Debian package.
 */
class NbdClientToolsTest extends ServerFixture {
    static final int SIZE = 16 << 20;
    static final Duration TIMEOUT = Duration.ofSeconds(120);

    @TempDir
    Path tmp;

    private TestDevice disk;
    private Path socket;

    @BeforeEach
    void setUp() throws Exception {
        disk = exports.add(new TestDevice("disk", SIZE), "scratch disk");
        exports.add(new TestDevice("other", 1 << 20, true), "read-only disk");
        socket = tmp.resolve("nbd.sock");
        start(Map.of("nbd.socket", socket.toString()));
    }

    @Test
    void nbdinfoShowsTheSize() throws Exception {
        Tools.require("nbdinfo", "libnbd-bin");
        String out = Tools.ok(TIMEOUT, "nbdinfo", uri("disk")).stdout();
        assertThat(out).contains("export-size: " + SIZE).contains("is_read_only: false");
        assertThat(Tools.ok(TIMEOUT, "nbdinfo", "--size", uri("disk")).stdout().strip()).isEqualTo(String.valueOf(SIZE));
        assertThat(Tools.ok(TIMEOUT, "nbdinfo", uri("other")).stdout()).contains("is_read_only: true");
        assertThat(disk.openCount()).isZero();
    }

    @Test
    void nbdinfoListsTheExports() throws Exception {
        Tools.require("nbdinfo", "libnbd-bin");
        String out = Tools.ok(TIMEOUT, "nbdinfo", "--list", "nbd://127.0.0.1:" + address().getPort()).stdout();
        assertThat(out).contains("export=\"disk\"", "description: scratch disk", "export=\"other\"",
                "description: read-only disk", "export-size: " + SIZE);
    }

    @Test
    void nbdinfoOverTheUnixSocket() throws Exception {
        Tools.require("nbdinfo", "libnbd-bin");
        String out = Tools.ok(TIMEOUT, "nbdinfo", "nbd+unix:///disk?socket=" + socket).stdout();
        assertThat(out).contains("export-size: " + SIZE);
    }

    @Test
    void nbdshSeesTheAdvertisedFlagsAndErrors() throws Exception {
        Tools.require("nbdsh", "python3-libnbd");
        String script = String.join("\n",
                "import errno",
                "assert h.get_size() == " + SIZE,
                "assert h.can_flush() and h.can_fua() and h.can_trim() and h.can_zero() and h.can_cache()",
                "assert h.can_fast_zero()",
                "assert not h.can_multi_conn() and not h.is_read_only()",
                "h.pwrite(b'x' * 4096, 0, nbd.CMD_FLAG_FUA)",
                "assert h.pread(4096, 0) == b'x' * 4096",
                "h.cache(1 << 20, 0)",
                "h.trim(4096, 0)",
                "h.zero(4096, 8192, nbd.CMD_FLAG_NO_HOLE)",
                "try:",
                "    h.zero(4096, 0, nbd.CMD_FLAG_FAST_ZERO)",
                "    raise AssertionError('fast zero should fail')",
                "except nbd.Error as e:",
                "    assert e.errnum == errno.ENOTSUP, e",
                "h.set_strict_mode(0)  # let out-of-range requests reach the server",
                "try:",
                "    h.pread(4096, " + SIZE + ")",
                "    raise AssertionError('read past the end should fail')",
                "except nbd.Error as e:",
                "    assert e.errnum == errno.EINVAL, e",
                "try:",
                "    h.pwrite(b'y' * 4096, " + SIZE + ")",
                "    raise AssertionError('write past the end should fail')",
                "except nbd.Error as e:",
                "    assert e.errnum == errno.ENOSPC, e",
                "h.flush()",
                "h.shutdown()",
                "print('ok')");
        assertThat(Tools.ok(TIMEOUT, Tools.debianPython(), "nbdsh", "-u", uri("disk"), "-c", script).stdout()).contains("ok");
        assertThat(disk.fuaWrites()).isEqualTo(1);
        assertThat(Arrays.copyOf(disk.data(), 4096)).containsOnly(0); // trimmed after the write
    }

    @Test
    void qemuIoWritesAndReadsAPattern() throws Exception {
        Tools.require("qemu-io", "qemu-utils");
        Tools.ok(TIMEOUT, "qemu-io", "-f", "raw", uri("disk"), "-c", "write -P 0xab 1M 64k", "-c", "read -P 0xab 1M 64k");
        assertThat(Arrays.copyOfRange(disk.data(), 1 << 20, (1 << 20) + (64 << 10))).containsOnly((byte) 0xab);
        assertThat(disk.data()[(1 << 20) - 1]).isZero();
        assertThat(disk.data()[(1 << 20) + (64 << 10)]).isZero();
    }

    @Test
    void qemuIoOverTheUnixSocketWithFlushZeroesAndDiscard() throws Exception {
        Tools.require("qemu-io", "qemu-utils");
        String u = "nbd+unix:///disk?socket=" + socket;
        Tools.ok(TIMEOUT, "qemu-io", "-f", "raw", u, "-c", "write -P 0x5a 0 2M", "-c", "flush",
                "-c", "write -z 512k 256k", "-c", "discard 1M 64k", "-c", "read -P 0 512k 256k",
                "-c", "read -P 0x5a 0 512k");
        assertThat(Arrays.copyOfRange(disk.data(), 512 << 10, 768 << 10)).containsOnly(0);
        assertThat(disk.flushes()).isPositive();
    }

    @Test
    void nbdcopyRoundTrip() throws Exception {
        Tools.require("nbdcopy", "libnbd-bin");
        Path src = tmp.resolve("src.img");
        Path back = tmp.resolve("back.img");
        byte[] data = NbdTransmissionTest.random(SIZE, 42);
        Arrays.fill(data, 4 << 20, 6 << 20, (byte) 0); // a zero run, which nbdcopy may zero instead of write
        Files.write(src, data);
        Tools.ok(TIMEOUT, "nbdcopy", "--flush", src.toString(), uri("disk"));
        assertThat(disk.data()).isEqualTo(data);
        Tools.ok(TIMEOUT, "nbdcopy", uri("disk"), back.toString());
        assertThat(Files.mismatch(src, back)).isEqualTo(-1);
    }

    @Test
    void qemuImgConvertAndCompare() throws Exception {
        Tools.require("qemu-img", "qemu-utils");
        Path src = tmp.resolve("src.img");
        Path back = tmp.resolve("back.img");
        byte[] data = NbdTransmissionTest.random(SIZE, 7);
        Arrays.fill(data, 0, 1 << 20, (byte) 0);
        Files.write(src, data);
        Arrays.fill(disk.data(), (byte) 0x11); // so skipped zero ranges would show
        Tools.ok(TIMEOUT, "qemu-img", "convert", "-n", "-f", "raw", "-O", "raw", src.toString(), uri("disk"));
        assertThat(disk.data()).isEqualTo(data);
        Tools.ok(TIMEOUT, "qemu-img", "compare", "-f", "raw", "-F", "raw", src.toString(), uri("disk"));
        Tools.ok(TIMEOUT, "qemu-img", "convert", "-f", "raw", "-O", "raw", uri("disk"), back.toString());
        assertThat(Files.mismatch(src, back)).isEqualTo(-1);
        disk.data()[SIZE - 1] ^= 1;
        Tools.Result differs = Tools.run(TIMEOUT, java.util.List.of("qemu-img", "compare", "-f", "raw", "-F", "raw", src.toString(), uri("disk")));
        assertThat(differs.exitCode()).as(differs.stdout()).isEqualTo(1);
    }

    @Test
    void fioRandomReadWriteWithVerify() throws Exception {
        Tools.require("fio", "fio");
        Tools.Result engines = Tools.ok(TIMEOUT, "fio", "--enghelp");
        assertThat(engines.stdout()).as("fio built with the nbd engine").containsPattern("(?m)^\\s*nbd\\s*$");
        Tools.Result r = Tools.ok(TIMEOUT, fio("--rw=randrw"));
        assertThat(r.stderr()).doesNotContainIgnoringCase("verify").doesNotContainIgnoringCase("error");
    }

    @Test
    void fioVerifyReallyChecksTheData() throws Exception {
        Tools.require("fio", "fio");
        Tools.ok(TIMEOUT, fio("--rw=randwrite"));
        disk.data()[(3 << 20) + 2000] ^= 0x40; // inside a block's data, past fio's header
        Tools.Result r = Tools.run(TIMEOUT, java.util.List.of(fio("--rw=randwrite", "--verify_only")));
        assertThat(r.exitCode()).as(r.describe(java.util.List.of("fio"))).isNotZero();
        assertThat(r.stdout() + r.stderr()).containsIgnoringCase("verify");
    }

    /** A 4 KiB, queue-depth-32 job over 8 MiB of the export, every block checksummed. */
    private String[] fio(String... extra) {
        java.util.List<String> cmd = new java.util.ArrayList<>(java.util.List.of("fio", "--name=nbd-verify",
                "--ioengine=nbd", "--uri=" + uri("disk"), "--bs=4k", "--iodepth=32", "--size=8m",
                "--verify=crc32c", "--do_verify=1", "--verify_fatal=1", "--randseed=1234",
                "--verify_state_save=0"));
        cmd.addAll(java.util.List.of(extra));
        return cmd.toArray(String[]::new);
    }
}
