package io.tiercache.core.control;

import io.tiercache.core.daemon.DaemonConfig;
import io.tiercache.core.dm.DeviceMapper;
import io.tiercache.core.metrics.DaemonMetrics;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The control socket: a unix domain socket, owner-only, one request per connection (see
 * {@link Frames}), each connection on its own virtual thread so a blocking {@code wait} holds up
 * nobody else. A malformed request closes that connection only.
 */
public final class ControlServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ControlServer.class);

    private final Path socket;
    private final ControlCommands commands;
    private final Set<SocketChannel> connections = ConcurrentHashMap.newKeySet();
    private final AtomicLong ids = new AtomicLong();
    private volatile ServerSocketChannel server;
    private volatile boolean closed;
    private Thread acceptor;

    @Inject
    public ControlServer(DaemonConfig config, DeviceMapper dm, DaemonMetrics metrics) {
        this.socket = config.control();
        this.commands = new ControlCommands(dm, metrics);
    }

    public Path socket() {
        return socket;
    }

    /** Connections being served (tests check that abandoned ones are let go). */
    int connectionCount() {
        return connections.size();
    }

    /** Binds the socket (owner-only) and starts accepting; refuses if a daemon already answers there. */
    public synchronized void start() throws IOException {
        if (server != null || closed) {
            throw new IllegalStateException("control server already started or closed");
        }
        prepareFolder(socket.getParent());
        removeStale(socket);
        ServerSocketChannel ch = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            ch.bind(UnixDomainSocketAddress.of(socket));
        } catch (IOException e) {
            ch.close();
            throw new IOException("cannot listen on " + socket + ": " + e.getMessage(), e);
        }
        server = ch;
        // bind() creates the file with the umask's permissions; the folder (0700 when we made it)
        // covers the moment until this narrows the socket itself to its owner.
        Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-------"));
        acceptor = Thread.ofVirtual().name("control-accept").start(this::acceptLoop);
    }

    private static void prepareFolder(Path dir) throws IOException {
        if (dir == null || Files.isDirectory(dir)) {
            return;
        }
        try {
            Files.createDirectories(dir,
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } catch (FileAlreadyExistsException e) {
            // created concurrently, or a file in the way: bind() will tell
        }
    }

    /**
     * A socket file left by a daemon that died is removed; one that still answers belongs to a
     * running daemon, and anything that is not a socket is not ours to delete.
     */
    private static void removeStale(Path path) throws IOException {
        BasicFileAttributes attrs;
        try {
            attrs = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (java.nio.file.NoSuchFileException e) {
            return;
        }
        if (!attrs.isOther()) {
            throw new IOException("cannot listen on " + path + ": the path exists and is not a socket");
        }
        if (isListening(path)) {
            throw new IOException("cannot listen on " + path + ": a tiercache daemon is already listening there");
        }
        LOG.info("removing stale control socket {}", path);
        Files.deleteIfExists(path);
    }

    /** Whether something accepts connections on the socket at {@code path} (a running daemon). */
    public static boolean isListening(Path path) {
        try (SocketChannel probe = SocketChannel.open(UnixDomainSocketAddress.of(path))) {
            return probe.isConnected();
        } catch (IOException e) {
            return false;
        }
    }

    private void acceptLoop() {
        while (!closed) {
            SocketChannel ch;
            try {
                ch = server.accept();
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                if (!closed) {
                    LOG.error("control socket accept failed: {}", e.toString());
                }
                return;
            }
            connections.add(ch);
            if (closed) {
                // close() already swept the open connections; this one came in just before.
                closeQuietly(ch);
                return;
            }
            Thread.ofVirtual().name("control-" + ids.incrementAndGet()).start(() -> serve(ch));
        }
    }

    private void serve(SocketChannel ch) {
        try (ch) {
            List<String> request = Frames.readRequest(ch);
            LOG.debug("control: {}", request.getFirst());
            Response response = commands.execute(request, () -> clientGone(ch));
            Frames.writeResponse(ch, response);
        } catch (Frames.ProtocolException e) {
            LOG.warn("control: dropped a malformed request: {}", e.getMessage());
        } catch (IOException e) {
            // The client went away, or we are closing: nobody is left to answer.
            LOG.debug("control connection ended: {}", e.toString());
        } finally {
            connections.remove(ch);
        }
    }

    /**
     * Whether the peer hung up. The client sends nothing after its request, so a non-blocking read
     * returning end-of-stream (or failing) means it is gone.
     */
    private boolean clientGone(SocketChannel ch) {
        if (closed || !ch.isOpen()) {
            return true;
        }
        try {
            ch.configureBlocking(false);
            try {
                return ch.read(ByteBuffer.allocate(1)) < 0;
            } finally {
                // The response is written with blocking writes.
                ch.configureBlocking(true);
            }
        } catch (IOException e) {
            return true;
        }
    }

    /** Stops accepting, ends open connections (a pending {@code wait} returns) and deletes the socket file. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (server == null) {
            return; // never bound: the file (if any) is someone else's
        }
        try {
            server.close();
        } catch (IOException e) {
            LOG.warn("closing the control socket: {}", e.toString());
        }
        connections.forEach(ControlServer::closeQuietly);
        joinAcceptor();
        try {
            Files.deleteIfExists(socket);
        } catch (IOException e) {
            LOG.warn("could not delete the control socket {}: {}", socket, e.toString());
        }
    }

    private void joinAcceptor() {
        try {
            acceptor.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void closeQuietly(SocketChannel ch) {
        try {
            ch.close();
        } catch (IOException e) {
            // already gone
        }
    }
}
