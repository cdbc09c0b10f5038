package io.tiercache.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.tiercache.cli.TiercacheCommand;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.RandomAccessFile;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import picocli.CommandLine;

/**
 * The cache scenarios of target-semantics §10 against the packaged daemon: fixture files, the
 * dmsetup-like CLI, the status line as numbered in §2.1, and real NBD clients (qemu-io, nbdsh).
 *
 * <p>The CLI verbs run the launcher's own command classes ({@link TiercacheCommand}, what
 * {@code bin/tiercache} runs) inside the test JVM against the daemon's control socket: the same
 * request and the same daemon-rendered answer, without a JVM start per verb (several seconds each
 * on a loaded two-core machine). {@link #launcher} runs the real script where that matters.
 *
 * <p>Fixture F of §10, scaled down: 4 MiB metadata, 8 MiB cache (128 blocks), 16 MiB origin
 * (256 blocks, 32768 sectors) with every sector stamped with its number ({@link #pattern}), block
 * size 128 sectors.
 */
final class CacheRig implements BeforeAllCallback, AfterAllCallback {
    static final int BLOCK = 64 << 10;
    /** Cache-target arguments shared by the scenarios: writeback, no migrations; passthrough. */
    static final String WRITEBACK_T0 = "2 metadata2 writeback smq 2 migration_threshold 0";
    static final String PASSTHROUGH = "2 metadata2 passthrough smq 0";
    static final long ORIGIN_SECTORS = 32768;

    /** The test class's folder: fixture files, the daemon's state and control socket. */
    Path dir;
    DaemonProcess daemon;

    /** One daemon per test class: {@code @RegisterExtension static final CacheRig rig = new CacheRig();}. */
    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        dir = Files.createTempDirectory("tiercache-" + context.getRequiredTestClass().getSimpleName());
        restart();
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        try {
            if (daemon != null) {
                daemon.close();
            }
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    /** Starts a daemon on the folder's state (the recorded devices come back), after a crash or a kill. */
    void restart() throws Exception {
        daemon = new DaemonProcess(dir).start(false);
    }

    /** SIGKILL the daemon's JVM, then start a new one on the same state folder (devices come back). */
    void crashAndRestart() throws Exception {
        daemon.kill();
        restart();
    }

    // ---- the fixture

    /** One device's three files and name. */
    record Fx(String name, Path meta, Path cache, Path origin, long sectors) {
        String table(String rest) {
            return "0 " + sectors + " cache " + meta + " " + cache + " " + origin + " 128 " + rest;
        }
    }

    /** Fixture F (scaled) for device {@code name}, in its own folder. */
    Fx fixture(String name) throws IOException {
        return fixture(name, 8, ORIGIN_SECTORS, ORIGIN_SECTORS);
    }

    Fx fixture(String name, int cacheMiB, long originSectors, long tableSectors) throws IOException {
        Path d = Files.createDirectories(dir.resolve("fx-" + name));
        Path meta = sized(d.resolve("meta"), 4L << 20);
        Path cache = sized(d.resolve("cache"), (long) cacheMiB << 20);
        Path origin = d.resolve("origin");
        try (var out = Files.newOutputStream(origin)) {
            long size = originSectors * 512;
            for (long off = 0; off < size; off += 1 << 20) {
                out.write(pattern(off, (int) Math.min(1 << 20, size - off)));
            }
        }
        return new Fx(name, meta, cache, origin, tableSectors);
    }

    static Path sized(Path f, long size) throws IOException {
        try (RandomAccessFile r = new RandomAccessFile(f.toFile(), "rw")) {
            r.setLength(size);
        }
        return f;
    }

    /** Pattern O: each 512-byte sector is its sector number (8 bytes, big-endian) then 'O's. */
    static byte[] pattern(long offset, int length) {
        byte[] b = new byte[length];
        for (int i = 0; i < length; i++) {
            long x = offset + i;
            int inSector = (int) (x % 512);
            b[i] = inSector < 8 ? (byte) ((x / 512) >>> (8 * (7 - inSector))) : (byte) 'O';
        }
        return b;
    }

    static byte[] filled(int length, int value) {
        byte[] b = new byte[length];
        Arrays.fill(b, (byte) value);
        return b;
    }

    static byte[] fileBytes(Path f, long offset, int length) throws IOException {
        try (RandomAccessFile r = new RandomAccessFile(f.toFile(), "r")) {
            byte[] b = new byte[length];
            r.seek(offset);
            r.readFully(b);
            return b;
        }
    }

    static void writeFile(Path f, long offset, byte[] data) throws IOException {
        try (RandomAccessFile r = new RandomAccessFile(f.toFile(), "rw")) {
            r.seek(offset);
            r.write(data);
        }
    }

    // ---- the CLI

    /** A verb of the tiercache CLI against this daemon (see the class comment). */
    Proc cli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(new TiercacheCommand());
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        List<String> words = new ArrayList<>(List.of("--control", daemon.control.toString()));
        words.addAll(List.of(args));
        int exit = cl.execute(words.toArray(String[]::new));
        return new Proc(exit, out.toString(), err.toString());
    }

    /** The real {@code bin/tiercache} script, as a user runs it. */
    Proc launcher(String... args) throws IOException, InterruptedException {
        return daemon.cli(args);
    }

    void create(Fx fx, String rest) {
        cli("create", fx.name(), "--table", fx.table(rest)).ok();
    }

    /** A verb that must fail as dmsetup does: exit 1, "... ioctl on NAME failed: ERRNO". */
    void fails(String ioctl, String errno, String... args) {
        Proc p = cli(args);
        assertThat(p.exit()).as("%s: %s", List.of(args), p.out()).isEqualTo(1);
        assertThat(p.err()).as(String.join(" ", args)).startsWith("device-mapper: " + ioctl + " ioctl on " + args[1]
                + " failed: " + errno + "\n");
    }

    void reloadResume(Fx fx, String rest) {
        cli("suspend", fx.name()).ok();
        cli("reload", fx.name(), "--table", fx.table(rest)).ok();
        cli("resume", fx.name()).ok();
    }

    void message(Fx fx, String... words) {
        List<String> a = new ArrayList<>(List.of("message", fx.name(), "0"));
        a.addAll(List.of(words));
        cli(a.toArray(String[]::new)).ok();
    }

    Status status(Fx fx) {
        String out = cli("status", fx.name()).ok().out();
        assertThat(out).endsWith("\n").doesNotContain("\n\n");
        return Status.parse(out.substring(0, out.length() - 1));
    }

    String table(Fx fx) {
        return cli("table", fx.name()).ok().out();
    }

    long events(Fx fx) {
        for (String line : cli("info", fx.name()).ok().out().split("\n")) {
            if (line.startsWith("Event number:")) {
                return Long.parseLong(line.substring("Event number:".length()).strip());
            }
        }
        throw new AssertionError("no event number");
    }

    boolean exists(Fx fx) {
        return cli("info", fx.name()).exit() == 0;
    }

    Status await(Fx fx, String what, Duration limit, Predicate<Status> done) throws InterruptedException {
        long end = System.nanoTime() + limit.toNanos();
        Status s = status(fx);
        while (!done.test(s)) {
            if (System.nanoTime() > end) {
                throw new AssertionError("not within " + limit + ": " + what + "; status " + s.line());
            }
            Thread.sleep(100);
            s = status(fx);
        }
        return s;
    }

    /** Where the daemon log ends now, for {@link #logSince}. */
    long logMark() throws IOException {
        return daemon.log().length();
    }

    String logSince(long mark) throws IOException {
        return daemon.log().substring((int) mark);
    }

    // ---- NBD clients

    /** qemu-io on the export, one {@code -c} per command; fails on any I/O or pattern error. */
    String qemuIo(Fx fx, String... commands) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("qemu-io", "-f", "raw", daemon.uri(fx.name())));
        for (String c : commands) {
            cmd.add("-c");
            cmd.add(c);
        }
        Proc p = Proc.run(dir, cmd);
        assertThat(p.out() + p.err()).as("qemu-io %s", List.of(commands)).doesNotContain("Pattern verification failed")
                .doesNotContain("failed:");
        return p.ok().out();
    }

    /** nbdsh with {@code h} connected to the export, running {@code script}. */
    Proc nbdsh(Fx fx, String script) throws IOException, InterruptedException {
        return Proc.run(dir, nbdshEnv(), List.of("nbdsh", "-u", daemon.uri(fx.name()), "-c", script));
    }

    /**
     * nbdsh runs {@code python3} from PATH; Debian's python3-libnbd is in the system interpreter,
     * which a user's pyenv or virtualenv would otherwise hide.
     */
    static Map<String, String> nbdshEnv() {
        return Map.of("PATH", "/usr/bin:/bin:" + System.getenv("PATH"));
    }

    /** Writes {@code data} at {@code offset} in one NBD request (nbdsh), no flush. */
    void write(Fx fx, long offset, byte[] data) throws IOException, InterruptedException {
        Path f = Files.createTempFile(dir, "w", ".bin");
        Files.write(f, data);
        nbdsh(fx, "h.pwrite(open('" + f + "', 'rb').read(), " + offset + ")").ok();
        Files.delete(f);
    }

    /** Reads {@code length} bytes at {@code offset} in one NBD request (nbdsh). */
    byte[] read(Fx fx, long offset, int length) throws IOException, InterruptedException {
        Path f = Files.createTempFile(dir, "r", ".bin");
        nbdsh(fx, "open('" + f + "', 'wb').write(h.pread(" + length + ", " + offset + "))").ok();
        byte[] b = Files.readAllBytes(f);
        Files.delete(f);
        return b;
    }

    /** Writes full blocks {@code blocks[i]} filled with {@code first + i}, one 64 KiB request each (qemu-io). */
    void writeBlocks(Fx fx, int first, long... blocks) throws IOException, InterruptedException {
        String[] c = new String[blocks.length];
        for (int i = 0; i < blocks.length; i++) {
            c[i] = "write -P " + (first + i) + " " + blocks[i] * BLOCK + " 64k";
        }
        qemuIo(fx, c);
    }

    // ---- the status line

    /** A parsed cache status line, fields numbered as in target-semantics §2.1. */
    record Status(String line, long mdUsed, long mdTotal, long blockSize, long used, long total, long readHits,
            long readMisses, long writeHits, long writeMisses, long demotions, long promotions, long dirty,
            List<String> features, long migrationThreshold, String policy, List<String> policyArgs, String mode,
            boolean needsCheck) {

        static Status parse(String line) {
            String[] w = line.split(" ");
            int i = 3;
            if (!w[2].equals("cache") || !w[i++].equals("8")) {
                throw new AssertionError("not a cache status line: '" + line + "'");
            }
            String[] md = w[i++].split("/");
            long bs = Long.parseLong(w[i++]);
            String[] cb = w[i++].split("/");
            long[] c = new long[7];
            for (int k = 0; k < 7; k++) {
                c[k] = Long.parseLong(w[i++]);
            }
            int nf = Integer.parseInt(w[i++]);
            List<String> features = List.of(w).subList(i, i + nf);
            i += nf;
            if (!w[i].equals("2") || !w[i + 1].equals("migration_threshold")) {
                throw new AssertionError("core args: '" + line + "'");
            }
            long threshold = Long.parseLong(w[i + 2]);
            i += 3;
            String policy = w[i++];
            int np = Integer.parseInt(w[i++]);
            List<String> pargs = List.of(w).subList(i, i + np);
            i += np;
            String mode = w[i++];
            String check = w[i++];
            if (i != w.length || !line.endsWith(" ") || !(check.equals("-") || check.equals("needs_check"))) {
                throw new AssertionError("trailing fields or no trailing space: '" + line + "'");
            }
            return new Status(line, Long.parseLong(md[0]), Long.parseLong(md[1]), bs, Long.parseLong(cb[0]),
                    Long.parseLong(cb[1]), c[0], c[1], c[2], c[3], c[4], c[5], c[6], features, threshold, policy,
                    pargs, mode, check.equals("needs_check"));
        }

        List<Long> hitsAndMisses() {
            return List.of(readHits, readMisses, writeHits, writeMisses);
        }
    }

    static ByteBuffer stampBuffer(int value, int length) {
        ByteBuffer b = ByteBuffer.allocate(length);
        while (b.hasRemaining()) {
            b.putInt(value);
        }
        return b.flip();
    }
}
