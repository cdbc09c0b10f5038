package io.tiercache.frontend.nbd;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A throw-away x509 PKI made with the {@code openssl} CLI at test time: a CA, a server certificate
 * for localhost/127.0.0.1 and a client certificate, laid out as libnbd expects a
 * {@code tls-certificates} folder ({@code ca-cert.pem}, {@code client-cert.pem},
 * {@code client-key.pem}). EC P-256 keys: quick to make, and PKCS#8 as Netty wants them.
 */
final class TestCertificates {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    final Path serverCert;
    final Path serverKey;
    final Path ca;
    /** ca-cert.pem, client-cert.pem, client-key.pem. */
    final Path clientDir;
    /** ca-cert.pem only: a client without a certificate of its own. */
    final Path anonymousDir;
    /** ca-cert.pem of another CA: a client that must not trust the server. */
    final Path strangerDir;

    TestCertificates(Path dir) throws Exception {
        Tools.require("openssl", "openssl");
        Path pki = Files.createDirectories(dir.resolve("pki"));
        ca = makeCa(pki, "ca");
        serverKey = pki.resolve("server-key.pem");
        serverCert = pki.resolve("server-cert.pem");
        sign(pki, "server", serverKey, serverCert, "subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n");
        clientDir = Files.createDirectories(dir.resolve("client"));
        Files.copy(ca, clientDir.resolve("ca-cert.pem"));
        sign(pki, "client", clientDir.resolve("client-key.pem"), clientDir.resolve("client-cert.pem"),
                "extendedKeyUsage=clientAuth\n");
        anonymousDir = Files.createDirectories(dir.resolve("anonymous"));
        Files.copy(ca, anonymousDir.resolve("ca-cert.pem"));
        strangerDir = Files.createDirectories(dir.resolve("stranger"));
        Files.copy(makeCa(pki, "other-ca"), strangerDir.resolve("ca-cert.pem"));
    }

    private static Path makeCa(Path pki, String name) throws Exception {
        Path cert = pki.resolve(name + "-cert.pem");
        openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                "-keyout", pki.resolve(name + "-key.pem").toString(), "-out", cert.toString(), "-days", "2",
                "-subj", "/CN=tiercache test " + name, "-addext", "basicConstraints=critical,CA:TRUE",
                "-addext", "keyUsage=critical,keyCertSign,cRLSign");
        return cert;
    }

    private void sign(Path pki, String name, Path key, Path cert, String extensions) throws Exception {
        Path csr = pki.resolve(name + ".csr");
        Path ext = pki.resolve(name + ".ext");
        Files.writeString(ext, extensions + "keyUsage=critical,digitalSignature\n");
        openssl("req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", key.toString(),
                "-out", csr.toString(), "-subj", "/CN=" + (name.equals("server") ? "localhost" : "tiercache test client"));
        openssl("x509", "-req", "-in", csr.toString(), "-CA", ca.toString(), "-CAkey",
                pki.resolve("ca-key.pem").toString(), "-CAcreateserial", "-out", cert.toString(), "-days", "2",
                "-extfile", ext.toString());
    }

    private static void openssl(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("openssl"));
        cmd.addAll(List.of(args));
        Tools.ok(TIMEOUT, cmd.toArray(String[]::new));
    }
}
