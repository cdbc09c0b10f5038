package io.tiercache.frontend.nbd;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import java.io.File;
import javax.net.ssl.SSLException;

/**
 * The server side of STARTTLS: an x509 {@link SslContext} built once at start (JDK provider, so no
 * native library is needed), and the {@link SslHandler} each upgraded connection gets.
 */
final class NbdTls {
    private final TlsSettings settings;
    private final SslContext context;

    private NbdTls(TlsSettings settings, SslContext context) {
        this.settings = settings;
        this.context = context;
    }

    /** Loads the certificates now, so that a bad file fails start() and not the first client. */
    static NbdTls from(TlsSettings settings) throws SSLException {
        if (!settings.enabled()) {
            return new NbdTls(settings, null);
        }
        File cert = settings.cert().orElseThrow().toFile();
        File key = settings.key().orElseThrow().toFile();
        SslContextBuilder builder;
        try {
            builder = SslContextBuilder.forServer(cert, key);
        } catch (IllegalArgumentException e) {
            throw new SSLException("cannot load " + cert + " / " + key + " (the key must be unencrypted PKCS#8 PEM): "
                    + e.getMessage(), e);
        }
        builder.sslProvider(SslProvider.JDK).protocols("TLSv1.3", "TLSv1.2");
        if (settings.ca().isPresent()) {
            builder.trustManager(settings.ca().get().toFile()).clientAuth(ClientAuth.REQUIRE);
        }
        return new NbdTls(settings, builder.build());
    }

    boolean enabled() {
        return context != null;
    }

    boolean required() {
        return settings.required();
    }

    /**
     * A handler for a connection that just asked for STARTTLS. {@code startTls}: the first write
     * through it, the option's ACK, still goes out in clear, as the protocol wants.
     */
    SslHandler newHandler(ByteBufAllocator alloc) {
        return new SslHandler(context.newEngine(alloc), true);
    }
}
