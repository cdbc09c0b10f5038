package io.tiercache.core.control;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.List;

/** The CLI's side of the control socket: one request, one response, one connection. */
public final class ControlClient {
    private final Path socket;

    public ControlClient(Path socket) {
        this.socket = socket;
    }

    public Path socket() {
        return socket;
    }

    /** Nobody answers at the socket path (no file, or a daemon that died and left it behind). */
    public static final class UnreachableException extends IOException {
        private static final long serialVersionUID = 1L;

        UnreachableException(String reason, Throwable cause) {
            super(reason, cause);
        }
    }

    /**
     * Sends {@code words} (verb first) and waits for the answer, which for {@code wait} may take
     * as long as the awaited event does.
     */
    public Response call(List<String> words) throws IOException {
        try (SocketChannel ch = connect()) {
            Frames.writeRequest(ch, words);
            return Frames.readResponse(ch);
        }
    }

    private SocketChannel connect() throws UnreachableException {
        SocketChannel ch = null;
        try {
            ch = SocketChannel.open(StandardProtocolFamily.UNIX);
            ch.connect(UnixDomainSocketAddress.of(socket));
            return ch;
        } catch (IOException e) {
            if (ch != null) {
                try {
                    ch.close();
                } catch (IOException again) {
                    e.addSuppressed(again);
                }
            }
            throw new UnreachableException(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage(), e);
        }
    }
}
