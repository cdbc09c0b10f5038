package io.tiercache.frontend.nbd;

import static io.tiercache.frontend.nbd.NbdConstants.CMD_DISC;
import static io.tiercache.frontend.nbd.NbdConstants.CMD_READ;
import static io.tiercache.frontend.nbd.NbdConstants.CMD_WRITE;
import static io.tiercache.frontend.nbd.NbdConstants.SIMPLE_REPLY_MAGIC;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * What becomes of a connection's requests when it ends (see {@link RequestHandler}): after DISC
 * every request received still runs, even if the client closes at once; after a hard disconnect
 * nothing that has not reached the device runs any more, so a departed client's stale write cannot
 * land on data written since. The I/O executor here runs its tasks only when the test says so,
 * which puts the disconnect exactly between a request's start and its I/O.
 */
class NbdDisconnectTest {
    private static final int SIZE = 1 << 20;

    private final TestExports exports = new TestExports();
    private final TestDevice device = exports.add(new TestDevice("d", SIZE));
    private final ManualExecutor io = new ManualExecutor();

    @Test
    void aHardDisconnectDropsWritesThatHaveNotReachedTheDevice() {
        EmbeddedChannel ch = connection(64);
        NbdRequest write = write(1, 0, 4096);
        ch.writeInbound(write);
        assertThat(io.pending()).as("the write has started, its I/O not yet run").isEqualTo(1);

        ch.close();
        runAll(ch);

        assertThat(device.data()).containsOnly(0);
        assertThat(write.payload().refCnt()).as("payload released").isZero();
        assertThat(device.openCount()).as("export released").isZero();
    }

    @Test
    void aHardDisconnectDropsQueuedWritesToo() {
        EmbeddedChannel ch = connection(1);
        List<NbdRequest> writes = List.of(write(1, 0, 4096), write(2, 4096, 4096), write(3, 8192, 4096));
        writes.forEach(ch::writeInbound);
        assertThat(io.pending()).as("io depth 1: one started, two queued").isEqualTo(1);

        ch.close();
        runAll(ch);

        assertThat(device.data()).containsOnly(0);
        assertThat(writes).allSatisfy(w -> assertThat(w.payload().refCnt()).isZero());
        assertThat(device.openCount()).isZero();
    }

    @Test
    void everyRequestSentBeforeDiscRunsEvenWhenTheClientClosesAtOnce() {
        EmbeddedChannel ch = connection(1);
        ch.writeInbound(write(1, 0, 4096));
        ch.writeInbound(write(2, 4096, 4096));
        ch.writeInbound(write(3, 8192, 4096));
        ch.writeInbound(new NbdRequest(0, CMD_DISC, 4, 0, 0, null, 0));

        ch.close();
        runAll(ch);

        assertThat(Arrays.copyOf(device.data(), 3 * 4096)).containsOnly(7);
        assertThat(device.openCount()).isZero();
    }

    @Test
    void aWriteAlreadyInsideTheDeviceCompletesAfterAHardDisconnect() throws Exception {
        EmbeddedChannel ch = connection(64);
        ch.writeInbound(write(1, 0, 4096));
        device.suspend();
        CompletableFuture<Void> running = CompletableFuture.runAsync(io::runOne);
        ServerFixture.await("the write waits in the device", Duration.ofSeconds(5), () -> device.blockedNow() == 1);

        ch.close();
        ch.runPendingTasks();
        device.resume();
        running.get(5, TimeUnit.SECONDS);
        runAll(ch);

        assertThat(Arrays.copyOf(device.data(), 4096)).containsOnly(7);
        assertThat(device.openCount()).isZero();
    }

    @Test
    void aReadOfAConnectionThatIsGoneIsNotRun() {
        EmbeddedChannel ch = connection(64);
        ch.writeInbound(new NbdRequest(0, CMD_READ, 1, 0, 4096, null, 0));
        ch.writeInbound(new NbdRequest(0, CMD_DISC, 2, 0, 0, null, 0));
        long readsBefore = device.reads();

        ch.close();
        runAll(ch);

        assertThat(device.reads()).isEqualTo(readsBefore);
        assertThat(device.openCount()).isZero();
    }

    @Test
    void whileConnectedAWriteRunsAndIsAnswered() {
        EmbeddedChannel ch = connection(64);
        ch.writeInbound(write(9, 0, 4096));
        runAll(ch);

        assertThat(Arrays.copyOf(device.data(), 4096)).containsOnly(7);
        ByteBuf reply = ch.readOutbound();
        assertThat(reply.getInt(0)).as("simple reply magic").isEqualTo(SIMPLE_REPLY_MAGIC);
        assertThat(reply.getInt(4)).as("no error").isZero();
        assertThat(reply.getLong(8)).as("cookie").isEqualTo(9);
        reply.release();
        ch.finishAndReleaseAll();
    }

    private EmbeddedChannel connection(int ioDepth) {
        NbdSettings settings = NbdSettings.from(exports.context(Map.of("nbd.io-depth", Integer.toString(ioDepth))));
        ServerContext server = new ServerContext(exports, settings, io, null);
        RequestHandler handler = new RequestHandler(server, exports.open("d").orElseThrow(), SIZE, Negotiated.PLAIN,
                Integer.MAX_VALUE);
        return new EmbeddedChannel(handler);
    }

    private static NbdRequest write(long cookie, long offset, int length) {
        byte[] bytes = new byte[length];
        Arrays.fill(bytes, (byte) 7);
        return new NbdRequest(0, CMD_WRITE, cookie, offset, length, Unpooled.wrappedBuffer(bytes), 0);
    }

    /** Alternates I/O tasks and event-loop tasks until neither has any left. */
    private void runAll(EmbeddedChannel ch) {
        ch.runPendingTasks();
        while (io.pending() > 0) {
            io.runOne();
            ch.runPendingTasks();
        }
    }

    /** An executor that queues tasks until the test runs them, on the test's thread. */
    private static final class ManualExecutor implements Executor {
        private final ArrayDeque<Runnable> tasks = new ArrayDeque<>();

        @Override
        public synchronized void execute(Runnable task) {
            tasks.add(task);
        }

        synchronized int pending() {
            return tasks.size();
        }

        void runOne() {
            Runnable task;
            synchronized (this) {
                task = tasks.poll();
            }
            task.run();
        }
    }
}
