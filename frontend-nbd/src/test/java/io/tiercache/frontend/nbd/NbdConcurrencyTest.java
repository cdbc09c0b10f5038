package io.tiercache.frontend.nbd;

import static io.tiercache.frontend.nbd.NbdConstants.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tiercache.frontend.nbd.RawClient.Reply;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Blocking devices, abrupt clients and shutdown: the cases that show block I/O is off the event
 * loops and that nothing leaks.
 */
class NbdConcurrencyTest extends ServerFixture {
    private static final LeakWatcher leaks = new LeakWatcher();
    private TestDevice slow;
    private TestDevice fast;

    @BeforeAll
    static void watchLeaks() {
        leaks.start();
    }

    @AfterAll
    static void noBufferLeaked() throws Exception {
        try {
            assertThat(leaks.leaks()).as("Netty leak reports").isEmpty();
        } finally {
            leaks.stop();
        }
    }

    @BeforeEach
    void setUp() throws Exception {
        slow = exports.add(new TestDevice("slow", 1 << 20));
        fast = exports.add(new TestDevice("fast", 1 << 20));
        start();
    }

    private RawClient connect(String export) throws Exception {
        RawClient c = client().handshake();
        c.go(export);
        return c;
    }

    @Test
    void aSuspendedExportStallsOnlyItsOwnRequests() throws Exception {
        slow.suspend();
        List<RawClient> stuck = new ArrayList<>();
        try {
            // Enough blocked connections to cover every event loop several times over.
            for (int i = 0; i < 8; i++) {
                RawClient c = connect("slow");
                c.request(0, CMD_READ, i, 0, 4096);
                stuck.add(c);
            }
            await("every read waits in the device", Duration.ofSeconds(5), () -> slow.blockedNow() == 8);

            try (RawClient other = connect("fast")) {
                byte[] data = NbdTransmissionTest.random(4096, 5);
                other.write(1, 0, data);
                assertThat(other.readReply()).isEqualTo(new Reply(0, 1));
                other.request(0, CMD_READ, 2, 0, 4096);
                assertThat(other.readReply()).isEqualTo(new Reply(0, 2));
                assertThat(other.readData(4096)).isEqualTo(data);
            }
            // A bad request on a stalled connection is still answered at once: it needs no I/O.
            RawClient first = stuck.getFirst();
            first.request(0, CMD_READ, 100, 1L << 40, 4096);
            assertThat(first.readReply()).isEqualTo(new Reply(EINVAL, 100));
            first.shortTimeout(300);
            assertThatThrownBy(first::readReply).isInstanceOf(SocketTimeoutException.class);
            first.shortTimeout(10_000);

            slow.resume();
            for (int i = 0; i < stuck.size(); i++) {
                assertThat(stuck.get(i).readReply()).isEqualTo(new Reply(0, i));
                stuck.get(i).readData(4096);
            }
        } finally {
            slow.resume();
            for (RawClient c : stuck) {
                c.close();
            }
        }
    }

    @Test
    void moreRequestsThanTheIoDepthWaitTheirTurn() throws Exception {
        slow.suspend();
        try (RawClient c = connect("slow")) {
            for (int i = 0; i < 300; i++) {
                c.requestHeader(0, CMD_READ, i, 0, 512);
            }
            c.out.flush();
            await("io-depth requests reach the device", Duration.ofSeconds(5), () -> slow.blockedNow() == 64);
            Thread.sleep(100);
            assertThat(slow.blockedNow()).as("no more than nbd.io-depth run at once").isEqualTo(64);
            slow.resume();
            for (int i = 0; i < 300; i++) {
                assertThat(c.readReply().error()).isZero();
                c.readData(512);
            }
        } finally {
            slow.resume();
        }
    }

    @Test
    void largeWritesArePacedByTheByteBudget() throws Exception {
        TestDevice big = exports.add(new TestDevice("big", 64 << 20));
        big.suspend();
        int writes = 12; // 384 MiB: more than the 256 MiB the server holds before it stops reading
        byte[] chunk = NbdTransmissionTest.random(32 << 20, 12);
        try (RawClient c = connect("big")) {
            CompletableFuture<Void> sender = CompletableFuture.runAsync(() -> {
                try {
                    for (int i = 0; i < writes; i++) {
                        c.write(i, (i % 2) * (32L << 20), chunk);
                    }
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            await("128 MiB of writes running", Duration.ofSeconds(10), () -> big.blockedNow() == 4);
            Thread.sleep(500);
            assertThat(big.blockedNow()).as("running bytes capped at 128 MiB").isEqualTo(4);
            assertThat(sender).as("server stopped reading, so the client cannot send everything").isNotDone();
            big.resume();
            for (int i = 0; i < writes; i++) {
                assertThat(c.readReply().error()).isZero();
            }
            sender.get(30, TimeUnit.SECONDS);
        } finally {
            big.resume();
        }
        assertThat(Arrays.copyOf(big.data(), 32 << 20)).isEqualTo(chunk);
    }

    @Test
    void abruptDisconnectMidWritePayloadLeavesTheServerServing() throws Exception {
        try (RawClient rude = connect("fast")) {
            rude.requestHeader(0, CMD_WRITE, 1, 0, 1 << 20);
            rude.out.write(new byte[1000]);
            rude.out.flush();
            Thread.sleep(50);
            rude.abort();
        }
        try (RawClient rude = connect("fast")) {
            rude.out.write(new byte[10]); // half a request header
            rude.out.flush();
            rude.abort();
        }
        await("export released", Duration.ofSeconds(5), () -> fast.openCount() == 0);
        try (RawClient c = connect("fast")) {
            c.write(1, 0, new byte[4096]);
            assertThat(c.readReply()).isEqualTo(new Reply(0, 1));
        }
        assertThat(Arrays.copyOf(fast.data(), 4096)).containsOnly(0);
    }

    @Test
    void theExportIsReleasedOnlyAfterIoInFlightFinishes() throws Exception {
        slow.suspend();
        try (RawClient c = connect("slow")) {
            c.write(1, 0, NbdTransmissionTest.random(65536, 1));
            c.request(0, CMD_READ, 2, 0, 65536);
            await("both wait in the device", Duration.ofSeconds(5), () -> slow.blockedNow() == 2);
            c.abort();
        }
        Thread.sleep(200);
        assertThat(slow.openCount()).as("I/O still running on it").isEqualTo(1);
        slow.resume();
        await("export released", Duration.ofSeconds(5), () -> slow.openCount() == 0);
    }

    @Test
    void stopLetsRequestsInFlightFinishAndRefusesNewOnes() throws Exception {
        slow.suspend();
        try (RawClient c = connect("slow"); RawClient idle = client().handshake()) {
            c.write(1, 0, new byte[4096]);
            await("write waits in the device", Duration.ofSeconds(5), () -> slow.blockedNow() == 1);
            CompletableFuture<Void> stopped = CompletableFuture.runAsync(frontend::stop);
            assertThat(idle.closedByServer()).as("handshaking client dropped").isTrue();
            Thread.sleep(200);
            assertThat(stopped).isNotDone();
            c.request(0, CMD_READ, 2, 0, 512);
            assertThat(c.readReply()).isEqualTo(new Reply(ESHUTDOWN, 2));
            slow.resume();
            assertThat(c.readReply()).isEqualTo(new Reply(0, 1));
            assertThat(c.closedByServer()).isTrue();
            stopped.get(10, TimeUnit.SECONDS);
            assertThat(slow.openCount()).isZero();
        } finally {
            slow.resume();
        }
    }

    @Test
    void manyClientsAtOnce() throws Exception {
        List<CompletableFuture<Void>> clients = new ArrayList<>();
        for (int k = 0; k < 16; k++) {
            int id = k;
            clients.add(CompletableFuture.runAsync(() -> {
                try (RawClient c = connect("fast")) {
                    byte[] data = NbdTransmissionTest.random(4096, id);
                    for (int i = 0; i < 50; i++) {
                        c.write(i, id * 4096L, data);
                        assertThat(c.readReply()).isEqualTo(new Reply(0, i));
                    }
                    c.request(0, CMD_READ, 999, id * 4096L, 4096);
                    assertThat(c.readReply()).isEqualTo(new Reply(0, 999));
                    assertThat(c.readData(4096)).isEqualTo(data);
                    c.request(0, CMD_DISC, 0, 0, 0);
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            }));
        }
        CompletableFuture.allOf(clients.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
        await("every export released", Duration.ofSeconds(5), () -> fast.openCount() == 0);
        assertThat(fast.opensTotal()).isEqualTo(16);
    }
}
