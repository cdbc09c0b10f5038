package io.tiercache.frontend.nbd;

import static io.tiercache.frontend.nbd.NbdConstants.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** STARTTLS with x509 certificates made at test time, checked with nbdinfo/nbdcopy and by hand. */
class NbdTlsTest extends ServerFixture {
    static final Duration TIMEOUT = Duration.ofSeconds(60);

    @TempDir
    static Path dir;

    static TestCertificates certs;

    private TestDevice disk;

    @BeforeAll
    static void makeCertificates() throws Exception {
        certs = new TestCertificates(dir);
    }

    @BeforeEach
    void addDisk() {
        disk = exports.add(new TestDevice("disk", 4 << 20));
    }

    private void startTls(String mode, boolean verifyClients) throws Exception {
        Map<String, String> s = new HashMap<>(Map.of("nbd.tls", mode, "nbd.tls.cert", certs.serverCert.toString(),
                "nbd.tls.key", certs.serverKey.toString()));
        if (verifyClients) {
            s.put("nbd.tls.ca", certs.ca.toString());
        }
        start(s);
    }

    private String tlsUri(Path certDir) {
        return "nbds://127.0.0.1:" + address().getPort() + "/disk?tls-certificates=" + certDir;
    }

    @Test
    void requiredTlsServesNbdinfoAndNbdcopyAndRefusesPlainClients() throws Exception {
        Tools.require("nbdinfo", "libnbd-bin");
        startTls("require", false);
        String info = Tools.ok(TIMEOUT, "nbdinfo", tlsUri(certs.anonymousDir)).stdout();
        assertThat(info).contains("with TLS", "using structured packets", "export-size: " + (4 << 20));
        Tools.Result plain = Tools.run(TIMEOUT, List.of("nbdinfo", uri("disk")));
        assertThat(plain.exitCode()).isNotZero();
        // libnbd words ERR_TLS_REQD as "Operation not supported", as it does against nbdkit --tls=require.
        assertThat(plain.stderr()).contains("opt_go");

        Path src = dir.resolve("src.img");
        Path back = dir.resolve("back.img");
        byte[] data = NbdTransmissionTest.random(4 << 20, 11);
        Files.write(src, data);
        Tools.ok(TIMEOUT, "nbdcopy", src.toString(), tlsUri(certs.anonymousDir));
        assertThat(disk.data()).isEqualTo(data);
        Tools.ok(TIMEOUT, "nbdcopy", tlsUri(certs.anonymousDir), back.toString());
        assertThat(Files.mismatch(src, back)).isEqualTo(-1);
    }

    @Test
    void optionalTlsServesBothKindsOfClient() throws Exception {
        Tools.require("nbdinfo", "libnbd-bin");
        startTls("on", false);
        assertThat(Tools.ok(TIMEOUT, "nbdinfo", tlsUri(certs.anonymousDir)).stdout()).contains("with TLS");
        assertThat(Tools.ok(TIMEOUT, "nbdinfo", uri("disk")).stdout()).contains("without TLS");
    }

    @Test
    void clientCertificatesAreCheckedWhenACaIsConfigured() throws Exception {
        Tools.require("nbdinfo", "libnbd-bin");
        startTls("require", true);
        assertThat(Tools.ok(TIMEOUT, "nbdinfo", tlsUri(certs.clientDir)).stdout()).contains("with TLS");
        assertThat(Tools.run(TIMEOUT, List.of("nbdinfo", tlsUri(certs.anonymousDir))).exitCode()).isNotZero();
    }

    @Test
    void aClientThatDoesNotTrustTheServerFails() throws Exception {
        Tools.require("nbdinfo", "libnbd-bin");
        startTls("require", false);
        assertThat(Tools.run(TIMEOUT, List.of("nbdinfo", tlsUri(certs.strangerDir))).exitCode()).isNotZero();
        assertThat(Tools.ok(TIMEOUT, "nbdinfo", tlsUri(certs.anonymousDir)).stdout()).contains("with TLS");
    }

    @Test
    void beforeStartTlsOnlyStartTlsAndAbortAreServedInRequireMode() throws Exception {
        startTls("require", false);
        try (RawClient c = client().handshake()) {
            for (int code : new int[] {OPT_GO, OPT_INFO, OPT_LIST, OPT_STRUCTURED_REPLY, OPT_LIST_META_CONTEXT, 4242}) {
                c.option(code, code == OPT_GO || code == OPT_INFO ? RawClient.infoPayload("disk") : new byte[0]);
                RawClient.OptionReply r = c.readOptionReply();
                assertThat(r.option()).isEqualTo(code);
                assertThat(r.type()).as("option %d", code).isEqualTo(REP_ERR_TLS_REQD);
            }
            c.option(OPT_ABORT, new byte[0]);
            assertThat(c.readOptionReply().type()).isEqualTo(REP_ACK);
        }
        try (RawClient c = client().handshake()) {
            c.option(OPT_EXPORT_NAME, "disk".getBytes());
            assertThat(c.closedByServer()).isTrue(); // EXPORT_NAME has no error reply
        }
        assertThat(disk.opensTotal()).isZero();
    }

    @Test
    void startTlsForgetsWhatWasNegotiatedAndCannotBeRepeated() throws Exception {
        startTls("on", false);
        try (RawClient c = client().handshake().structured()) {
            c.option(OPT_STARTTLS, new byte[] {1});
            assertThat(c.readOptionReply().type()).isEqualTo(REP_ERR_INVALID);
            c.option(OPT_STARTTLS, new byte[0]);
            assertThat(c.readOptionReply().type()).isEqualTo(REP_ACK);
            c.upgradeToTls(trusting(certs.ca));
            // Structured replies were negotiated in clear: forgotten.
            assertThat(c.metaContext(OPT_SET_META_CONTEXT, "disk", "base:allocation")).containsExactly("ERR 3");
            c.option(OPT_STARTTLS, new byte[0]);
            assertThat(c.readOptionReply().type()).isEqualTo(REP_ERR_INVALID);
            c.structured();
            assertThat(c.metaContext(OPT_SET_META_CONTEXT, "disk", "base:allocation")).hasSize(2);
            c.go("disk");
            byte[] data = NbdTransmissionTest.random(256 << 10, 2);
            c.write(1, 0, data);
            assertThat(c.readReply().error()).isZero();
            c.request(0, CMD_READ, 2, 0, data.length);
            List<RawClient.Chunk> chunks = c.readChunks();
            assertThat(NbdStructuredTest.reassemble(chunks, 0, data.length)).isEqualTo(data);
        }
    }

    @Test
    void bytesSentInClearBehindStartTlsCloseTheConnection() throws Exception {
        startTls("on", false);
        try (RawClient c = client().handshake()) {
            c.out.writeLong(IHAVEOPT);
            c.out.writeInt(OPT_STARTTLS);
            c.out.writeInt(0);
            c.out.writeLong(IHAVEOPT); // an option the client had no business sending yet
            c.out.writeInt(OPT_LIST);
            c.out.writeInt(0);
            c.out.flush();
            assertThat(c.closedByServer()).isTrue();
        }
        try (RawClient c = client().handshake()) {
            assertThat(c.go("disk")).isEqualTo(4 << 20);
        }
    }

    @Test
    void misconfigurationFailsTheStart() throws Exception {
        assertThatThrownBy(() -> start(Map.of("nbd.tls", "require"))).hasMessageContaining("nbd.tls.cert");
        frontend = null;
        Path garbage = Files.writeString(dir.resolve("garbage.pem"), "not a key");
        assertThatThrownBy(() -> start(Map.of("nbd.tls.cert", certs.serverCert.toString(), "nbd.tls.key",
                garbage.toString()))).hasMessageContaining("PKCS#8");
        frontend = null;
        assertThatThrownBy(() -> start(Map.of("nbd.tls", "sometimes"))).hasMessageContaining("off, on or require");
        frontend = null;
    }

    /** A client TLS context that trusts the given CA. */
    static SSLContext trusting(Path caPem) throws Exception {
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        store.load(null, null);
        try (InputStream in = Files.newInputStream(caPem)) {
            store.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(store);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        return ctx;
    }
}
