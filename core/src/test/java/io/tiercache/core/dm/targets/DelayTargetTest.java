package io.tiercache.core.dm.targets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tiercache.core.dm.Bio;
import io.tiercache.core.dm.DmException;
import io.tiercache.core.dm.Target;
import io.tiercache.core.dm.TargetException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DelayTargetTest {
    private static final int LEN = 65536;

    @TempDir
    Path dir;

    private final DelayTarget.Type type = new DelayTarget.Type();
    private final FileContext ctx = new FileContext(LEN / 512);
    private final ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();
    private Path readDev;
    private Path writeDev;

    @BeforeEach
    void createFiles() throws Exception {
        readDev = FileContext.patterned(dir, "read", LEN);
        writeDev = FileContext.patterned(dir, "write", LEN + 4096);
    }

    @AfterEach
    void close() {
        pool.shutdownNow();
        ctx.close();
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "R 0| Requires exactly 3, 6 or 9 arguments",
        "R 0 0 W 0| Requires exactly 3, 6 or 9 arguments",
        "R 0 0 W 0 0 R 0 0 x| Requires exactly 3, 6 or 9 arguments",
        "R x 0| Invalid device sector",
        "R 0 -5| Invalid delay",
        "R 0 4294967296| Invalid delay",
        "/no/such/file 0 0| Device lookup failed",
        "R 0 0 W 0 1.5| Invalid delay",
        "R 0 0 W 0 0 /no/such/file 0 0| Device lookup failed",
        "R 0 0 W 0 0 R 0 z| Invalid delay",
    })
    void ctrRefusals(String args, String error) {
        String line = args.replace("R ", readDev + " ").replace("W ", writeDev + " ");
        assertThatThrownBy(() -> ctx.build(type, line))
                .isInstanceOf(TargetException.class)
                .hasMessage(error);
    }

    @Test
    void deviceTooSmallIsATableRefusal() {
        assertThatThrownBy(() -> ctx.build(type, readDev + " 0 0 " + writeDev + " 9 0"))
                .isInstanceOf(DmException.class)
                .hasMessageContaining("too small for target");
    }

    @Test
    void readTakesAtLeastTheDelay() throws Exception {
        Target t = ctx.build(type, readDev + " 0 150");
        long took = timed(() -> t.map(Bio.read(ByteBuffer.allocate(4096), 0)));
        assertThat(Duration.ofNanos(took)).isGreaterThanOrEqualTo(Duration.ofMillis(150));
    }

    @Test
    void writesDiscardsAndFlushesUseTheirOwnTriples() throws Exception {
        Target t = ctx.build(type, readDev + " 0 0 " + writeDev + " 8 200 " + writeDev + " 0 120");
        ByteBuffer src = FileContext.filled(512, (byte) 0);
        long write = timed(() -> t.map(Bio.write(src, 0, 0)));
        long discard = timed(() -> t.map(new Bio(Bio.Op.DISCARD, 4096, 4096, null, 0)));
        long flush = timed(() -> t.map(Bio.flush()));
        assertThat(Duration.ofNanos(write)).isGreaterThanOrEqualTo(Duration.ofMillis(200));
        assertThat(Duration.ofNanos(discard)).isGreaterThanOrEqualTo(Duration.ofMillis(200));
        assertThat(Duration.ofNanos(flush)).isGreaterThanOrEqualTo(Duration.ofMillis(120));
        // The write went to the write device at its offset; the read device is untouched.
        assertThat(FileContext.fileBytes(writeDev, 4096, 512)).containsOnly(0);
        assertThat(FileContext.fileBytes(readDev, 0, LEN)).doesNotContain(0);
        ByteBuffer dst = ByteBuffer.allocate(512);
        t.map(Bio.read(dst, 0));
        assertThat(dst.array()).isEqualTo(FileContext.fileBytes(readDev, 0, 512));
    }

    @Test
    void sixArgumentsGiveFlushesTheWriteDelay() throws Exception {
        Target t = ctx.build(type, readDev + " 0 0 " + writeDev + " 0 150");
        long flush = timed(() -> t.map(Bio.flush()));
        assertThat(Duration.ofNanos(flush)).isGreaterThanOrEqualTo(Duration.ofMillis(150));
    }

    @Test
    void concurrentDelayedRequestsOverlap() throws Exception {
        // 4 x 500 ms: 2 s one after another, 0.5 s overlapped; the bound between leaves a busy
        // machine a second of slack.
        Target t = ctx.build(type, readDev + " 0 500");
        long start = System.nanoTime();
        List<Future<?>> reads = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            long off = i * 4096L;
            reads.add(pool.submit(() -> {
                t.map(Bio.read(ByteBuffer.allocate(4096), off));
                return null;
            }));
        }
        for (Future<?> f : reads) {
            f.get(10, TimeUnit.SECONDS);
        }
        long took = System.nanoTime() - start;
        assertThat(Duration.ofNanos(took))
                .isGreaterThanOrEqualTo(Duration.ofMillis(500))
                .isLessThan(Duration.ofMillis(1500));
    }

    @Test
    void suspendReleasesDelayedRequestsAndResumeDelaysAgain() throws Exception {
        Target t = ctx.build(type, readDev + " 0 60000 " + writeDev + " 0 60000");
        Future<?> read = pool.submit(() -> {
            t.map(Bio.read(ByteBuffer.allocate(512), 0));
            return null;
        });
        Future<?> write = pool.submit(() -> {
            t.map(Bio.write(FileContext.filled(512, (byte) 0), 0, 0));
            return null;
        });
        awaitStatus(t, "1 1 0");
        t.presuspend();
        // A minute-long delay must not hold up the suspend.
        read.get(10, TimeUnit.SECONDS);
        write.get(10, TimeUnit.SECONDS);
        assertThat(t.status()).isEqualTo("0 0 0");
        assertThat(FileContext.fileBytes(writeDev, 0, 512)).containsOnly(0);
        // Between presuspend and resume nothing is delayed.
        t.map(Bio.flush());
        t.postsuspend();
        t.resume();

        Future<?> again = pool.submit(() -> {
            t.map(Bio.flush());
            return null;
        });
        awaitStatus(t, "0 0 1");
        assertThat(again.isDone()).isFalse();
        t.presuspend();
        again.get(10, TimeUnit.SECONDS);
    }

    @Test
    void zeroDelayPassesStraightThrough() throws Exception {
        Target t = ctx.build(type, readDev + " 0 0");
        t.map(Bio.write(FileContext.filled(512, (byte) 0), 512, 0));
        assertThat(FileContext.fileBytes(readDev, 512, 512)).containsOnly(0);
        assertThat(t.status()).isEqualTo("0 0 0");
    }

    private static void awaitStatus(Target t, String expected) throws InterruptedException {
        long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!t.status().equals(expected) && System.nanoTime() < giveUp) {
            Thread.sleep(5);
        }
        assertThat(t.status()).isEqualTo(expected);
    }

    private interface Io {
        void run() throws Exception;
    }

    private static long timed(Io io) throws Exception {
        long start = System.nanoTime();
        io.run();
        return System.nanoTime() - start;
    }
}
