package io.tiercache.core.dm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tiercache.core.dm.targets.LinearTarget;
import io.tiercache.spi.block.Errno;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The device lifecycle of target-semantics §5.1, over real files and a hook-recording target. */
class DeviceMapperTest {
    @TempDir
    Path dir;
    RecordingTarget.Type rec;
    DeviceMapper dm;
    Path fileA;
    Path fileB;

    @BeforeEach
    void setUp() throws Exception {
        rec = new RecordingTarget.Type();
        dm = new DeviceMapper(new TargetRegistry(Map.of("linear", new LinearTarget.Type(), "rec", rec)));
        fileA = file("a.img", 8 << 20, (byte) 0xaa);
        fileB = file("b.img", 8 << 20, (byte) 0xbb);
    }

    private Path file(String name, int size, byte fill) throws Exception {
        Path p = dir.resolve(name);
        byte[] data = new byte[size];
        java.util.Arrays.fill(data, fill);
        Files.write(p, data);
        return p;
    }

    private byte readByte(String dev, long offset) throws Exception {
        try (DeviceHandle h = dm.openForIo(dev).orElseThrow()) {
            ByteBuffer b = ByteBuffer.allocate(512);
            h.read(b, offset);
            return b.get(0);
        }
    }

    @Test
    void createServesIoAndEchoesTheTable() throws Exception {
        dm.create("lin", Optional.of("0 16384 linear " + fileA + " 0"));
        assertThat(dm.table("lin", false)).containsExactly("0 16384 linear " + fileA + " 0");
        assertThat(dm.status("lin")).containsExactly("0 16384 linear ");
        assertThat(readByte("lin", 4096)).isEqualTo((byte) 0xaa);
        try (DeviceHandle h = dm.openForIo("lin").orElseThrow()) {
            ByteBuffer src = ByteBuffer.wrap(new byte[] {1, 2, 3, 4});
            h.write(src, 1 << 20, 0);
            assertThat(src.hasRemaining()).as("consumed, as after a channel write").isFalse();
            ByteBuffer dst = ByteBuffer.allocate(4);
            h.read(dst, 1 << 20);
            assertThat(dst.hasRemaining()).as("filled, as after a channel read").isFalse();
            assertThat(dst.array()).containsExactly(1, 2, 3, 4);
            assertThat(h.size()).isEqualTo(16384L * 512);
        }
        try (RandomAccessFile f = new RandomAccessFile(fileA.toFile(), "r")) {
            f.seek(1 << 20);
            assertThat(f.read()).isEqualTo(1);
        }
    }

    @Test
    void reloadFillsTheInactiveSlotAndResumeSwaps() throws Exception {
        dm.create("lin", Optional.of("0 16384 linear " + fileA + " 0"));
        dm.load("lin", "0 16384 linear " + fileB + " 0");
        DeviceInfo info = dm.info("lin");
        assertThat(info.tablesPresent()).isEqualTo("LIVE & INACTIVE");
        assertThat(info.suspended()).isFalse();
        assertThat(readByte("lin", 0)).as("live table still serves").isEqualTo((byte) 0xaa);
        assertThat(dm.table("lin", true)).containsExactly("0 16384 linear " + fileB + " 0");
        dm.resume("lin");
        assertThat(dm.info("lin").tablesPresent()).isEqualTo("LIVE");
        assertThat(readByte("lin", 0)).isEqualTo((byte) 0xbb);
    }

    @Test
    void malformedTableLeavesTheDeviceAsItWas() throws Exception {
        dm.create("lin", Optional.of("0 16384 linear " + fileA + " 0"));
        assertThatThrownBy(() -> dm.load("lin", "0 16384 linear " + fileB))
                .isInstanceOfSatisfying(DmException.class, e -> {
                    assertThat(e.errno()).isEqualTo(Errno.EINVAL);
                    assertThat(e.getMessage()).isEqualTo("device-mapper: table: lin: linear: Invalid argument count");
                });
        assertThatThrownBy(() -> dm.load("lin", "0 16384 nosuch 1")).hasMessageContaining("unknown target type");
        assertThatThrownBy(() -> dm.load("lin", "x 16384 linear " + fileB + " 0"))
                .hasMessageContaining("Invalid format on line 1");
        assertThatThrownBy(() -> dm.load("lin", "0 100 linear " + fileB + " 0\n200 100 linear " + fileB + " 0"))
                .hasMessageContaining("Gap in table");
        assertThatThrownBy(() -> dm.load("lin", "0 0 linear " + fileB + " 0")).hasMessageContaining("zero-length");
        assertThatThrownBy(() -> dm.load("lin", "0 16385 linear " + fileB + " 0"))
                .hasMessageContaining("too small for target");
        assertThatThrownBy(() -> dm.load("lin", "0 16 linear " + dir.resolve("missing") + " 0"))
                .isInstanceOfSatisfying(DmException.class, e -> assertThat(e.errno()).isEqualTo(Errno.ENOENT));
        assertThat(dm.info("lin").tablesPresent()).isEqualTo("LIVE");
        assertThat(dm.table("lin", false)).containsExactly("0 16384 linear " + fileA + " 0");
        assertThat(readByte("lin", 0)).isEqualTo((byte) 0xaa);
    }

    @Test
    void failedCreateLeavesNoDevice() {
        assertThatThrownBy(() -> dm.create("bad", Optional.of("0 16 linear /nonexistent/x 0")))
                .isInstanceOf(DmException.class);
        assertThat(dm.names()).isEmpty();
        assertThatThrownBy(() -> dm.create("r", Optional.of("0 16 rec r refuse"))).isInstanceOf(DmException.class);
        assertThat(dm.names()).isEmpty();
    }

    @Test
    void resumeRunsOldPostsuspendThenNewPreresumeAndResume() throws Exception {
        dm.create("d", Optional.of("0 16 rec old"));
        dm.load("d", "0 16 rec new");
        rec.journal.clear();
        dm.resume("d");
        assertThat(rec.journal).containsExactly("old:presuspend", "old:postsuspend", "old:dtr", "new:preresume",
                "new:resume");
    }

    @Test
    void refusedPreresumeKeepsTheNewTableLiveAndTheDeviceSuspended() throws Exception {
        dm.create("d", Optional.of("0 16 rec old"));
        dm.load("d", "0 16 rec new refuse");
        assertThatThrownBy(() -> dm.resume("d"))
                .isInstanceOfSatisfying(DmException.class, e -> assertThat(e.errno()).isEqualTo(Errno.EBUSY));
        DeviceInfo info = dm.info("d");
        assertThat(info.suspended()).isTrue();
        assertThat(info.tablesPresent()).isEqualTo("LIVE");
        assertThat(dm.table("d", false)).containsExactly("0 16 rec new refuse");
        assertThat(rec.journal).contains("old:dtr");
        rec.journal.clear();
        assertThatThrownBy(() -> dm.resume("d")).isInstanceOf(DmException.class);
        assertThat(rec.journal).containsExactly("new:preresume");
    }

    @Test
    void suspendHoldsNewIoUntilResumeAndWaitsForIoInFlight() throws Exception {
        dm.create("d", Optional.of("0 16 rec t"));
        RecordingTarget t = rec.last;
        t.gate = new CountDownLatch(1);
        DeviceHandle h = dm.openForIo("d").orElseThrow();
        CompletableFuture<Void> inFlight = CompletableFuture.runAsync(() -> read(h));
        await(() -> rec.journal.contains("t:map"));
        CompletableFuture<Void> suspend = CompletableFuture.runAsync(() -> {
            try {
                dm.suspend("d", false);
            } catch (DmException e) {
                throw new IllegalStateException(e);
            }
        });
        Thread.sleep(100);
        assertThat(suspend).as("suspend waits for the request in flight").isNotDone();
        t.gate.countDown();
        suspend.get(5, TimeUnit.SECONDS);
        inFlight.get(5, TimeUnit.SECONDS);
        assertThat(rec.journal).containsSubsequence("t:mapped", "t:postsuspend");
        rec.journal.clear();
        CompletableFuture<Void> held = CompletableFuture.runAsync(() -> read(h));
        Thread.sleep(100);
        assertThat(held).as("I/O to a suspended device waits").isNotDone();
        assertThat(rec.journal).doesNotContain("t:map");
        dm.resume("d");
        held.get(5, TimeUnit.SECONDS);
        assertThat(rec.journal).containsSubsequence("t:preresume", "t:resume", "t:map");
        h.close();
    }

    @Test
    void removeIsRefusedWhileOpenAndRunsPostsuspendOnce() throws Exception {
        dm.create("d", Optional.of("0 16 rec t"));
        DeviceHandle h = dm.openForIo("d").orElseThrow();
        assertThat(dm.info("d").openCount()).isEqualTo(1);
        assertThatThrownBy(() -> dm.remove("d"))
                .isInstanceOfSatisfying(DmException.class, e -> assertThat(e.errno()).isEqualTo(Errno.EBUSY));
        h.close();
        rec.journal.clear();
        dm.remove("d");
        assertThat(rec.journal).containsExactly("t:presuspend", "t:postsuspend", "t:dtr");
        assertThat(dm.names()).isEmpty();

        dm.create("e", Optional.of("0 16 rec u"));
        dm.suspend("e", false);
        rec.journal.clear();
        dm.remove("e");
        assertThat(rec.journal).as("no second postsuspend").containsExactly("u:dtr");
    }

    @Test
    void stackedDevicesHoldTheirLowerDeviceOpen() throws Exception {
        dm.create("low", Optional.of("0 16384 linear " + fileA + " 0"));
        dm.create("top", Optional.of("0 8192 linear low 8192"));
        assertThat(readByte("top", 0)).isEqualTo((byte) 0xaa);
        assertThat(dm.info("low").openCount()).isEqualTo(1);
        assertThatThrownBy(() -> dm.remove("low")).isInstanceOf(DmException.class);
        dm.remove("top");
        assertThat(dm.info("low").openCount()).isZero();
        dm.remove("low");
    }

    @Test
    void suspendAllStopsUpperDevicesBeforeTheDevicesTheyStackOn() throws Exception {
        // Names sort the wrong way round on purpose: "a-top" stacks on "z-low".
        // The upper rec targets read their lower device at postsuspend, as a cache's final commit
        // writes its metadata device: were the lower one suspended first, that read would hang.
        dm.create("z-low", Optional.of("0 16384 linear " + fileA + " 0"));
        dm.create("m-mid", Optional.of("0 16 rec mid on z-low"));
        dm.create("a-top", Optional.of("0 16 rec top on m-mid"));
        rec.journal.clear();
        assertThat(CompletableFuture.supplyAsync(dm::suspendAll).get(20, TimeUnit.SECONDS)).isEmpty();
        for (String n : dm.names()) {
            assertThat(dm.info(n).suspended()).as(n).isTrue();
        }
        assertThat(rec.journal).containsSubsequence("top:postsuspend", "mid:postsuspend");
        dm.resume("z-low");
        assertThat(readByte("z-low", 0)).isEqualTo((byte) 0xaa);
    }

    @Test
    void clearDropsTheInactiveTable() throws Exception {
        dm.create("d", Optional.of("0 16 rec a"));
        dm.load("d", "0 16 rec b");
        dm.clear("d");
        assertThat(dm.info("d").tablesPresent()).isEqualTo("LIVE");
        assertThat(rec.journal).contains("b:dtr").doesNotContain("a:dtr");
    }

    @Test
    void eventsWakeWaiters() throws Exception {
        dm.create("d", Optional.of("0 16 rec a"));
        assertThat(dm.await("d", 0, 50)).isEqualTo(-1);
        CompletableFuture<Long> waiter = CompletableFuture.supplyAsync(() -> {
            try {
                return dm.await("d", 0, 5000);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        assertThat(dm.message("d", 0, java.util.List.of("event"))).isEmpty();
        assertThat(waiter.get(5, TimeUnit.SECONDS)).isEqualTo(1L);
        assertThat(dm.info("d").eventNr()).isEqualTo(1L);
        assertThat(dm.message("d", 0, java.util.List.of("hi", "there"))).isEqualTo("echo hi there");
    }

    @Test
    void multiTargetTablesSplitRequestsAtBoundaries() throws Exception {
        dm.create("m", Optional.of("0 8 linear " + fileA + " 0\n8 8 linear " + fileB + " 0"));
        try (DeviceHandle h = dm.openForIo("m").orElseThrow()) {
            ByteBuffer b = ByteBuffer.allocate(2048);
            h.read(b, 3072);
            assertThat(b.get(0)).isEqualTo((byte) 0xaa);
            assertThat(b.get(1023)).isEqualTo((byte) 0xaa);
            assertThat(b.get(1024)).isEqualTo((byte) 0xbb);
            assertThat(b.get(2047)).isEqualTo((byte) 0xbb);
        }
    }

    private static void read(DeviceHandle h) {
        try {
            h.read(ByteBuffer.allocate(512), 0);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void await(java.util.function.BooleanSupplier cond) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!cond.getAsBoolean() && System.nanoTime() < end) {
            Thread.sleep(5);
        }
        assertThat(cond.getAsBoolean()).isTrue();
    }
}
