package io.tiercache.frontend.nbd;

import static io.tiercache.spi.frontend.BlockStatusContext.CACHED;
import static io.tiercache.spi.frontend.BlockStatusContext.DIRTY;
import static org.assertj.core.api.Assertions.assertThat;

import io.tiercache.spi.frontend.Export;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Structured replies, meta contexts and block status as the real clients use them: nbdinfo
 * {@code --map} and {@code --list}, nbdsh scripts, qemu-img map, and fio with several connections.
 */
class NbdClientStructuredTest extends ServerFixture {
    static final int SIZE = 16 << 20;
    static final Duration TIMEOUT = Duration.ofSeconds(120);

    @TempDir
    Path tmp;

    private TestDevice disk;

    @BeforeEach
    void setUp() throws Exception {
        disk = exports.add(new TestDevice("disk", SIZE), "scratch disk");
        start(Map.of("nbd.socket", tmp.resolve("nbd.sock").toString()));
    }

    /** Zeroes 1 MiB at 1 MiB and trims 1 MiB at 4 MiB, through the export as a client would. */
    private void zeroAndTrim() throws Exception {
        try (Export e = disk.open()) {
            e.write(java.nio.ByteBuffer.wrap(NbdTransmissionTest.random(SIZE, 5)), 0, 0);
            e.writeZeroes(1 << 20, 1 << 20, 0);
            e.discard(4 << 20, 1 << 20);
        }
    }

    @Test
    void nbdinfoMapShowsAllocation() throws Exception {
        Tools.require("nbdinfo", "libnbd-bin");
        zeroAndTrim();
        String map = Tools.ok(TIMEOUT, "nbdinfo", "--map", uri("disk")).stdout();
        assertThat(rows(map)).containsExactly(
                "0 1048576 0", "1048576 1048576 2", "2097152 2097152 0", "4194304 1048576 3", "5242880 11534336 0");
        assertThat(map).contains("zero").contains("hole,zero").contains("data");
    }

    @Test
    void nbdinfoMapShowsTheCacheState() throws Exception {
        Tools.require("nbdinfo", "libnbd-bin");
        disk.setCacheState(0, 2 << 20, CACHED);
        disk.setCacheState(2 << 20, 1 << 20, CACHED | DIRTY);
        String map = Tools.ok(TIMEOUT, "nbdinfo", "--map=tiercache:cache", uri("disk")).stdout();
        assertThat(rows(map)).containsExactly("0 2097152 1", "2097152 1048576 3", "3145728 13631488 0");
        String totals = Tools.ok(TIMEOUT, "nbdinfo", "--map=tiercache:cache", "--totals", uri("disk")).stdout();
        assertThat(totals).contains("13631488").contains("2097152").contains("1048576");
    }

    @Test
    void nbdinfoListShowsTheContextsAndFlags() throws Exception {
        Tools.require("nbdinfo", "libnbd-bin");
        String out = Tools.ok(TIMEOUT, "nbdinfo", "--list", "nbd://127.0.0.1:" + address().getPort()).stdout();
        assertThat(out).contains("using structured packets", "base:allocation", "tiercache:cache", "can_df: true",
                "can_multi_conn: false");
        String unix = Tools.ok(TIMEOUT, "nbdinfo", "nbd+unix:///disk?socket=" + tmp.resolve("nbd.sock")).stdout();
        assertThat(unix).contains("using structured packets", "tiercache:cache");
    }

    @Test
    void nbdshBlockStatusAndStructuredReads() throws Exception {
        Tools.require("nbdsh", "python3-libnbd");
        zeroAndTrim();
        disk.setCacheState(0, 4096, CACHED | DIRTY);
        String script = String.join("\n",
                "import errno",
                "h.add_meta_context('base:allocation')",
                "h.add_meta_context('tiercache:cache')",
                "h.connect_uri('" + uri("disk") + "')",
                "assert h.can_meta_context('base:allocation') and h.can_meta_context('tiercache:cache')",
                "assert h.can_df()",
                "seen = {}",
                "def f(ctx, off, entries, err):",
                "    seen[ctx] = (off, list(entries))",
                "h.block_status(8192, 0, f)",
                "assert seen['tiercache:cache'] == (0, [4096, 3, 4096, 0]), seen",
                "assert seen['base:allocation'] == (0, [8192, 0]), seen",
                "seen.clear()",
                "h.block_status(3 << 20, 1 << 20, f, nbd.CMD_FLAG_REQ_ONE)",
                "assert seen['base:allocation'] == (1 << 20, [1 << 20, 2]), seen",
                "chunks = []",
                "def c(buf, off, status, err):",
                "    chunks.append((off, len(buf), status))",
                "buf = h.pread_structured(1 << 20, (1 << 20) - 4096, c)",
                "assert chunks == [((1 << 20) - 4096, 4096, nbd.READ_DATA), (1 << 20, (1 << 20) - 4096, nbd.READ_HOLE)], chunks",
                "assert buf[4096:] == bytearray((1 << 20) - 4096)",
                "chunks.clear()",
                "h.pread_structured(1 << 20, (1 << 20) - 4096, c, nbd.CMD_FLAG_DF)",
                "assert chunks == [((1 << 20) - 4096, 1 << 20, nbd.READ_DATA)], chunks",
                "h.set_strict_mode(0)",
                "for bad in [lambda: h.block_status(8192, " + SIZE + ", f), lambda: h.pread_structured(4096, " + SIZE + ", c)]:",
                "    try:",
                "        bad()",
                "        raise AssertionError('out of range must fail')",
                "    except nbd.Error as e:",
                "        assert e.errnum == errno.EINVAL, e",
                "h.shutdown()",
                "print('ok')");
        Tools.Result r = Tools.ok(TIMEOUT, Tools.debianPython(), "nbdsh", "-c", script);
        assertThat(r.stdout()).contains("ok");
    }

    @Test
    void qemuImgMapSeesTheZeroes() throws Exception {
        Tools.require("qemu-img", "qemu-utils");
        zeroAndTrim();
        String json = Tools.ok(TIMEOUT, "qemu-img", "map", "--output=json", "-f", "raw", uri("disk")).stdout();
        // qemu maps ZERO to "zero" and HOLE to "data": false.
        assertThat(json.replace(" ", ""))
                .contains("\"start\":1048576,\"length\":1048576,\"depth\":0,\"present\":true,\"zero\":true,\"data\":true")
                .contains("\"start\":4194304,\"length\":1048576,\"depth\":0,\"present\":true,\"zero\":true,\"data\":false")
                .contains("\"start\":0,\"length\":1048576,\"depth\":0,\"present\":true,\"zero\":false,\"data\":true");
    }

    @Test
    void fioVerifyOverFourConnections() throws Exception {
        Tools.require("fio", "fio");
        Tools.Result r = Tools.ok(TIMEOUT, "fio", "--name=multi", "--ioengine=nbd", "--uri=" + uri("disk"),
                "--rw=randwrite", "--bs=4k", "--iodepth=16", "--numjobs=4", "--size=2m", "--offset_increment=2m",
                "--verify=crc32c", "--do_verify=1", "--verify_fatal=1", "--randseed=99", "--verify_state_save=0",
                "--group_reporting");
        assertThat(r.stdout()).contains("jobs=4");
        assertThat(r.stderr()).doesNotContainIgnoringCase("verify").doesNotContainIgnoringCase("error");
    }

    /** The "offset length type" columns of nbdinfo --map. */
    private static List<String> rows(String map) {
        List<String> out = new ArrayList<>();
        for (String line : map.strip().split("\n")) {
            String[] f = line.strip().split("\\s+");
            out.add(f[0] + " " + f[1] + " " + f[2]);
        }
        return out;
    }
}
