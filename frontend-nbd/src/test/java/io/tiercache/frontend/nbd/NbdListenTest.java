package io.tiercache.frontend.nbd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Settings, transports and listeners: TCP (IPv4, IPv6), unix sockets and their stale files. */
class NbdListenTest extends ServerFixture {
    @TempDir
    Path tmp;

    @BeforeEach
    void setUp() {
        exports.add(new TestDevice("disk", 1 << 20));
    }

    @Test
    void listenAddressForms() {
        assertThat(NbdSettings.parseListen("127.0.0.1:10809")).isEqualTo(new InetSocketAddress("127.0.0.1", 10809));
        assertThat(NbdSettings.parseListen("[::1]:0").getAddress()).isInstanceOf(Inet6Address.class);
        assertThat(NbdSettings.parseListen(":99").getAddress().isAnyLocalAddress()).isTrue();
        assertThat(NbdSettings.parseListen("*:99").getPort()).isEqualTo(99);
        assertThatThrownBy(() -> NbdSettings.parseListen("localhost")).hasMessageContaining("HOST:PORT");
        assertThatThrownBy(() -> NbdSettings.parseListen("::1:80")).hasMessageContaining("[ADDR]:PORT");
        assertThatThrownBy(() -> NbdSettings.parseListen("host:70000")).hasMessageContaining("out of range");
        assertThatThrownBy(() -> NbdSettings.parseListen("host:http")).hasMessageContaining("not a number");
    }

    @Test
    void defaultsAndInvalidSettings() {
        NbdSettings d = NbdSettings.from(exports.context(Map.of()));
        assertThat(d.tcp()).contains(new InetSocketAddress("127.0.0.1", 10809));
        assertThat(d.socket()).isEmpty();
        assertThat(d.transport()).isEqualTo(NbdSettings.Transport.AUTO);
        assertThat(d.ioDepth()).isEqualTo(64);
        assertThatThrownBy(() -> NbdSettings.from(exports.context(Map.of("nbd.listen", "none"))))
                .hasMessageContaining("nbd.socket");
        assertThatThrownBy(() -> NbdSettings.from(exports.context(Map.of("nbd.transport", "io_uring"))))
                .hasMessageContaining("epoll, nio or auto");
        assertThatThrownBy(() -> NbdSettings.from(exports.context(Map.of("nbd.io-depth", "0"))))
                .hasMessageContaining("nbd.io-depth");
    }

    @Test
    void epollIsUsedWhenAskedFor() throws Exception {
        start(Map.of("nbd.transport", "epoll"));
        assertThat(frontend.usesEpoll()).as("epoll must be available on this Linux x86_64 machine").isTrue();
        try (RawClient c = client().handshake()) {
            assertThat(c.go("disk")).isEqualTo(1 << 20);
        }
    }

    @Test
    void ipv6Loopback() throws Exception {
        start(Map.of("nbd.listen", "[::1]:0"));
        InetSocketAddress bound = frontend.tcpAddress().orElseThrow();
        assertThat(bound.getAddress()).isInstanceOf(Inet6Address.class);
        assertThat(bound.getAddress().isLoopbackAddress()).isTrue();
        try (RawClient c = new RawClient(bound).handshake()) {
            assertThat(c.go("disk")).isEqualTo(1 << 20);
        }
    }

    @Test
    void unixSocketOnlyOnBothTransports() throws Exception {
        for (String transport : new String[] {"epoll", "nio"}) {
            Path sock = tmp.resolve(transport + ".sock");
            start(Map.of("nbd.listen", "none", "nbd.socket", sock.toString(), "nbd.transport", transport));
            assertThat(frontend.tcpAddress()).isEmpty();
            assertThat(frontend.socketPath()).contains(sock.toAbsolutePath());
            assertGreets(sock);
            frontend.stop();
            assertThat(sock).as("socket removed on stop").doesNotExist();
            frontend = null;
        }
    }

    @Test
    void staleSocketFileIsReplaced() throws Exception {
        Path sock = tmp.resolve("stale.sock");
        try (ServerSocketChannel dead = ServerSocketChannel.open(java.net.StandardProtocolFamily.UNIX)) {
            dead.bind(UnixDomainSocketAddress.of(sock)); // closing leaves the file behind
        }
        assertThat(sock).exists();
        start(Map.of("nbd.socket", sock.toString()));
        assertGreets(sock);
    }

    @Test
    void aLiveSocketOrARegularFileIsNotTouched() throws Exception {
        Path file = tmp.resolve("file.sock");
        Files.writeString(file, "precious");
        assertThatThrownBy(() -> start(Map.of("nbd.socket", file.toString()))).isInstanceOf(IOException.class)
                .hasMessageContaining("not a socket");
        assertThat(Files.readString(file)).isEqualTo("precious");

        Path live = tmp.resolve("live.sock");
        try (ServerSocketChannel other = ServerSocketChannel.open(java.net.StandardProtocolFamily.UNIX)) {
            other.bind(UnixDomainSocketAddress.of(live));
            assertThatThrownBy(() -> start(Map.of("nbd.socket", live.toString()))).isInstanceOf(IOException.class)
                    .hasMessageContaining("in use");
        }
        frontend = null; // the failed starts cleaned up after themselves
    }

    @Test
    void tcpPortInUseFailsStartAndReleasesEverything() throws Exception {
        start();
        int port = address().getPort();
        NbdFrontend second = new NbdFrontend();
        assertThatThrownBy(() -> second.start(exports.context(Map.of("nbd.listen", "127.0.0.1:" + port))))
                .isInstanceOf(IOException.class).hasMessageContaining("Address already in use");
        second.stop();
        try (RawClient c = client().handshake()) {
            assertThat(c.go("disk")).isEqualTo(1 << 20);
        }
    }

    @Test
    void stopIsIdempotentAndTheFrontendCanStartAgain() throws Exception {
        start();
        frontend.stop();
        frontend.stop();
        assertThat(frontend.tcpAddress()).isEmpty();
        frontend.start(exports.context(Map.of("nbd.listen", "127.0.0.1:0")));
        try (RawClient c = client().handshake()) {
            assertThat(c.go("disk")).isEqualTo(1 << 20);
        }
    }

    private static void assertGreets(Path sock) throws IOException {
        try (SocketChannel ch = SocketChannel.open(UnixDomainSocketAddress.of(sock))) {
            ByteBuffer greeting = ByteBuffer.allocate(18);
            while (greeting.hasRemaining()) {
                if (ch.read(greeting) < 0) {
                    break;
                }
            }
            assertThat(greeting.flip().getLong()).isEqualTo(NbdConstants.NBDMAGIC);
        }
    }
}
