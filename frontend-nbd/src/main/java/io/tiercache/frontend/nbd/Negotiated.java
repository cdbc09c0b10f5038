package io.tiercache.frontend.nbd;

import io.tiercache.spi.frontend.BlockStatusContext;
import java.util.List;

/**
 * What one connection's handshake agreed on; fixed for its transmission phase.
 *
 * @param structured whether structured replies were negotiated (READ is then always chunked)
 * @param contexts the meta contexts selected for the export, in the order BLOCK_STATUS reports them
 * @param tls whether the connection is encrypted; Netty's SslHandler cannot encrypt a file region,
 *     so such a connection never gets zero-copy reads
 */
record Negotiated(boolean structured, List<SelectedContext> contexts, boolean tls) {
    /** A selected meta context and the id the client knows it by. */
    record SelectedContext(int id, BlockStatusContext context) {}

    /** No structured replies, no contexts, no TLS: what EXPORT_NAME-only clients get. */
    static final Negotiated PLAIN = new Negotiated(false, List.of(), false);

    Negotiated {
        contexts = List.copyOf(contexts);
    }
}
