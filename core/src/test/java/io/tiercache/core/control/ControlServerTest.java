package io.tiercache.core.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tiercache.core.metrics.DaemonMetrics;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(30)
class ControlServerTest {
    @TempDir
    Path dir;

    private ControlFixture fx;
    private ControlClient client;

    @BeforeEach
    void start() throws IOException {
        fx = ControlFixture.start(dir);
        client = new ControlClient(fx.socket);
    }

    @AfterEach
    void stop() {
        fx.close();
    }

    @Test
    void socketIsOwnerOnlyInAPrivateFolder() throws IOException {
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(fx.socket))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(fx.socket.getParent())))
                .isEqualTo("rwx------");
    }

    @Test
    void answersARequest() throws IOException {
        assertThat(client.call(List.of("ls"))).isEqualTo(new Response(0, "No devices found\n", ""));
    }

    @Test
    void garbageClosesThatConnectionOnly() throws IOException {
        try (SocketChannel ch = SocketChannel.open(UnixDomainSocketAddress.of(fx.socket))) {
            ch.write(ByteBuffer.wrap("GET / HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII)));
            assertThat(closedByPeer(ch)).isTrue();
        }
        assertThat(client.call(List.of("ls")).status()).isZero();
    }

    @Test
    void oversizedFramesAreRefusedBeforeAllocation() throws IOException {
        assertClosedAfter(ByteBuffer.allocate(8).putInt(Frames.MAGIC).putInt(1_000_000).flip());
        assertClosedAfter(ByteBuffer.allocate(12).putInt(Frames.MAGIC).putInt(1).putInt(Integer.MAX_VALUE).flip());
        assertClosedAfter(ByteBuffer.allocate(14).putInt(Frames.MAGIC).putInt(1).putInt(2)
                .put((byte) 0xC3).put((byte) 0x28).flip()); // not UTF-8
        assertThat(client.call(List.of("ls")).status()).isZero();
    }

    private void assertClosedAfter(ByteBuffer frame) throws IOException {
        try (SocketChannel ch = SocketChannel.open(UnixDomainSocketAddress.of(fx.socket))) {
            ch.write(frame);
            assertThat(closedByPeer(ch)).isTrue();
        }
    }

    /** End of stream, or a reset when the server closed with our bytes still unread. */
    private static boolean closedByPeer(SocketChannel ch) {
        try {
            return ch.read(ByteBuffer.allocate(16)) == -1;
        } catch (IOException e) {
            return e.getMessage() != null && e.getMessage().contains("reset");
        }
    }

    @Test
    void aClientThatNeverSpeaksHoldsUpNobody() throws IOException {
        try (SocketChannel silent = SocketChannel.open(UnixDomainSocketAddress.of(fx.socket))) {
            assertThat(silent.isConnected()).isTrue();
            assertThat(client.call(List.of("targets")).out()).contains("linear           v1.4.0");
        }
    }

    @Test
    void aBlockedWaitHoldsUpNobodyAndEndsOnAnEvent() throws Exception {
        assertThat(client.call(List.of("create", "ev", "--table", "0 8 event")).status()).isZero();
        CompletableFuture<Response> waiting = CompletableFuture.supplyAsync(() -> call("wait", "-v", "ev", "0"));
        Thread.sleep(200);
        assertThat(waiting).isNotDone();
        assertThat(client.call(List.of("ls")).out()).isEqualTo("ev\n");
        assertThat(client.call(List.of("message", "ev", "0", "raise")).status()).isZero();
        assertThat(waiting.get(10, TimeUnit.SECONDS)).isEqualTo(new Response(0, "1\n", ""));
    }

    @Test
    void aWaitWhoseClientLeftIsAbandoned() throws Exception {
        assertThat(client.call(List.of("create", "ev", "--table", "0 8 event")).status()).isZero();
        try (SocketChannel ch = SocketChannel.open(UnixDomainSocketAddress.of(fx.socket))) {
            Frames.writeRequest(ch, List.of("wait", "ev", "5"));
            Thread.sleep(100);
            assertThat(fx.server.connectionCount()).isEqualTo(1);
        }
        // The server notices within a wait slice and lets the connection go.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (fx.server.connectionCount() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(fx.server.connectionCount()).isZero();
    }

    @Test
    void closeEndsPendingWaitsAndDeletesTheSocket() throws Exception {
        assertThat(client.call(List.of("create", "ev", "--table", "0 8 event")).status()).isZero();
        CompletableFuture<Response> waiting = CompletableFuture.supplyAsync(() -> call("wait", "ev"));
        Thread.sleep(200);
        fx.close();
        assertThat(Files.exists(fx.socket)).isFalse();
        assertThat(waiting).failsWithin(Duration.ofSeconds(5));
        assertThatThrownBy(() -> client.call(List.of("ls"))).isInstanceOf(ControlClient.UnreachableException.class);
    }

    @Test
    void refusesToStartWhereADaemonListens() {
        ControlServer second = new ControlServer(ControlFixture.config(fx.socket, dir), fx.dm, new DaemonMetrics(fx.dm, Map.of()));
        assertThatThrownBy(second::start).isInstanceOf(IOException.class).hasMessageContaining("already listening");
        second.close();
        assertThat(Files.exists(fx.socket)).as("the running daemon's socket is left alone").isTrue();
    }

    @Test
    void replacesAStaleSocket() throws IOException {
        Path stale = dir.resolve("stale.sock");
        try (ServerSocketChannel dead = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            dead.bind(UnixDomainSocketAddress.of(stale));
        }
        assertThat(Files.exists(stale)).isTrue();
        ControlServer s = new ControlServer(ControlFixture.config(stale, dir), fx.dm, new DaemonMetrics(fx.dm, Map.of()));
        try {
            s.start();
            assertThat(new ControlClient(stale).call(List.of("ls")).status()).isZero();
        } finally {
            s.close();
        }
    }

    @Test
    void refusesToDeleteWhatIsNotASocket() throws IOException {
        Path file = Files.writeString(dir.resolve("not-a-socket"), "keep me");
        ControlServer s = new ControlServer(ControlFixture.config(file, dir), fx.dm, new DaemonMetrics(fx.dm, Map.of()));
        assertThatThrownBy(s::start).hasMessageContaining("not a socket");
        s.close();
        assertThat(Files.readString(file)).isEqualTo("keep me");
    }

    @Test
    void unreachableWhenNobodyListens() {
        ControlClient nobody = new ControlClient(dir.resolve("nobody.sock"));
        assertThatThrownBy(() -> nobody.call(List.of("ls"))).isInstanceOf(ControlClient.UnreachableException.class);
    }

    private Response call(String... words) {
        try {
            return client.call(List.of(words));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
