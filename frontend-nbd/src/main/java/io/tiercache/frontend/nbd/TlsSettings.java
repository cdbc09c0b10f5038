package io.tiercache.frontend.nbd;

import io.tiercache.spi.frontend.FrontendContext;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/**
 * TLS settings: {@code nbd.tls} ({@code off}, {@code on}: clients may use STARTTLS, or
 * {@code require}: they must; default {@code on} when a certificate is configured, else
 * {@code off}), {@code nbd.tls.cert} and {@code nbd.tls.key} (PEM; the key unencrypted PKCS#8, as
 * {@code openssl genpkey} writes it) and {@code nbd.tls.ca} (PEM; when set, clients must present a
 * certificate it signed).
 */
record TlsSettings(Mode mode, Optional<Path> cert, Optional<Path> key, Optional<Path> ca) {
    static final String TLS = "nbd.tls";
    static final String CERT = "nbd.tls.cert";
    static final String KEY = "nbd.tls.key";
    static final String CA = "nbd.tls.ca";

    static final TlsSettings OFF = new TlsSettings(Mode.OFF, Optional.empty(), Optional.empty(), Optional.empty());

    /** {@code off}: STARTTLS gets ERR_POLICY; {@code require}: nothing but STARTTLS works before TLS. */
    enum Mode { OFF, ON, REQUIRE }

    TlsSettings {
        if (mode != Mode.OFF && (cert.isEmpty() || key.isEmpty())) {
            throw new IllegalArgumentException(TLS + "=" + mode.name().toLowerCase(Locale.ROOT) + " needs "
                    + CERT + " and " + KEY);
        }
    }

    static TlsSettings from(FrontendContext context) {
        Optional<Path> cert = path(context, CERT);
        Optional<Path> key = path(context, KEY);
        Optional<Path> ca = path(context, CA);
        Mode mode = context.setting(TLS).map(String::strip).filter(s -> !s.isEmpty()).map(TlsSettings::parse)
                .orElse(cert.isPresent() ? Mode.ON : Mode.OFF);
        return new TlsSettings(mode, cert, key, ca);
    }

    boolean enabled() {
        return mode != Mode.OFF;
    }

    boolean required() {
        return mode == Mode.REQUIRE;
    }

    private static Optional<Path> path(FrontendContext context, String key) {
        return context.setting(key).map(String::strip).filter(s -> !s.isEmpty()).map(Path::of);
    }

    private static Mode parse(String value) {
        try {
            return Mode.valueOf(value.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(TLS + " must be off, on or require, got '" + value + "'", e);
        }
    }
}
