package io.tiercache.frontend.nbd;

import static io.tiercache.frontend.nbd.NbdConstants.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.tiercache.frontend.nbd.RawClient.OptionReply;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The handshake phase, spoken byte by byte over a plain socket. */
class NbdHandshakeTest extends ServerFixture {
    private TestDevice disk;

    @BeforeEach
    void setUp() throws Exception {
        disk = exports.add(new TestDevice("disk", 1 << 20), "the main disk");
        exports.add(new TestDevice("ro", 64 << 10, true));
        start();
    }

    @Test
    void goReturnsSizeAndOpensTheExportOnce() throws Exception {
        try (RawClient c = client().handshake()) {
            assertThat(c.go("disk")).isEqualTo(1 << 20);
            await("export opened", Duration.ofSeconds(5), () -> disk.openCount() == 1);
            assertThat(disk.opensTotal()).isEqualTo(1);
        }
        await("export closed after disconnect", Duration.ofSeconds(5), () -> disk.openCount() == 0);
    }

    @Test
    void unknownOptionIsUnsupportedAndTheStreamStaysInSync() throws Exception {
        try (RawClient c = client().handshake()) {
            c.option(4242, "some payload the server must skip".getBytes(StandardCharsets.UTF_8));
            OptionReply r = c.readOptionReply();
            assertThat(r.option()).isEqualTo(4242);
            assertThat(r.type()).isEqualTo(REP_ERR_UNSUP);
            assertThat(c.go("disk")).isEqualTo(1 << 20);
        }
    }

    @Test
    void extendedHeadersAreRefusedAndStartTlsIsPolicyWithoutCertificates() throws Exception {
        try (RawClient c = client().handshake()) {
            c.option(OPT_EXTENDED_HEADERS, new byte[0]);
            assertThat(c.readOptionReply().type()).isEqualTo(REP_ERR_UNSUP);
            c.option(OPT_STARTTLS, new byte[0]);
            assertThat(c.readOptionReply().type()).isEqualTo(REP_ERR_POLICY);
            c.option(OPT_STRUCTURED_REPLY, new byte[0]);
            assertThat(c.readOptionReply().type()).isEqualTo(REP_ACK);
            assertThat(c.go("disk")).isEqualTo(1 << 20);
        }
    }

    @Test
    void longUnknownOptionIsSkippedWithoutBuffering() throws Exception {
        try (RawClient c = client().handshake()) {
            c.option(777, new byte[1 << 20]);
            assertThat(c.readOptionReply().type()).isEqualTo(REP_ERR_UNSUP);
            c.option(OPT_GO, new byte[200 << 10]); // a GO this long is nonsense, but answerable
            assertThat(c.readOptionReply().type()).isEqualTo(REP_ERR_TOO_BIG);
            assertThat(c.go("disk")).isEqualTo(1 << 20);
        }
    }

    @Test
    void absurdOptionLengthDisconnects() throws Exception {
        try (RawClient c = client().handshake()) {
            c.out.writeLong(IHAVEOPT);
            c.out.writeInt(OPT_GO);
            c.out.writeInt(0x80000000); // 2 GiB
            c.out.flush();
            assertThat(c.closedByServer()).isTrue();
        }
    }

    @Test
    void infoWithLyingNameLengthIsInvalidAndNextOptionWorks() throws Exception {
        try (RawClient c = client().handshake()) {
            ByteBuffer lie = ByteBuffer.allocate(4 + 4 + 2).putInt(1000).put("disk".getBytes(StandardCharsets.UTF_8)).putShort((short) 0);
            c.option(OPT_INFO, lie.array());
            assertThat(c.readOptionReply().type()).isEqualTo(REP_ERR_INVALID);
            // Count of info requests that does not match the bytes left.
            ByteBuffer badCount = ByteBuffer.allocate(4 + 4 + 2 + 2).putInt(4).put("disk".getBytes(StandardCharsets.UTF_8))
                    .putShort((short) 3).putShort((short) INFO_NAME);
            c.option(OPT_INFO, badCount.array());
            assertThat(c.readOptionReply().type()).isEqualTo(REP_ERR_INVALID);
            c.option(OPT_INFO, new byte[3]);
            assertThat(c.readOptionReply().type()).isEqualTo(REP_ERR_INVALID);
            assertThat(c.go("disk")).isEqualTo(1 << 20);
        }
    }

    @Test
    void infoAnswersEverythingAskedAndDoesNotKeepTheExportOpen() throws Exception {
        try (RawClient c = client().handshake()) {
            c.option(OPT_INFO, RawClient.infoPayload("disk", INFO_NAME, INFO_DESCRIPTION, INFO_BLOCK_SIZE, 999));
            List<OptionReply> replies = readUntilFinal(c);
            assertThat(replies.getLast().type()).isEqualTo(REP_ACK);
            ByteBuffer export = info(replies, INFO_EXPORT);
            assertThat(export.getLong()).isEqualTo(1 << 20);
            int flags = export.getShort() & 0xffff;
            assertThat(flags & (TFLAG_HAS_FLAGS | TFLAG_SEND_FLUSH | TFLAG_SEND_FUA | TFLAG_SEND_TRIM
                    | TFLAG_SEND_WRITE_ZEROES | TFLAG_SEND_CACHE)).isEqualTo(TFLAG_HAS_FLAGS | TFLAG_SEND_FLUSH
                    | TFLAG_SEND_FUA | TFLAG_SEND_TRIM | TFLAG_SEND_WRITE_ZEROES | TFLAG_SEND_CACHE);
            assertThat(flags & TFLAG_READ_ONLY).isZero();
            assertThat(flags & (1 << 8)).as("CAN_MULTI_CONN not advertised").isZero();
            assertThat(string(info(replies, INFO_NAME))).isEqualTo("disk");
            assertThat(string(info(replies, INFO_DESCRIPTION))).isEqualTo("the main disk");
            ByteBuffer sizes = info(replies, INFO_BLOCK_SIZE);
            assertThat(List.of(sizes.getInt(), sizes.getInt(), sizes.getInt())).containsExactly(1, 4096, 32 << 20);
            assertThat(disk.openCount()).isZero();
            assertThat(disk.opensTotal()).isEqualTo(1);

            c.option(OPT_INFO, RawClient.infoPayload("ro"));
            ByteBuffer ro = info(readUntilFinal(c), INFO_EXPORT);
            assertThat(ro.getLong()).isEqualTo(64 << 10);
            assertThat(ro.getShort() & TFLAG_READ_ONLY).isEqualTo(TFLAG_READ_ONLY);
        }
    }

    @Test
    void unknownExportIsErrUnknown() throws Exception {
        try (RawClient c = client().handshake()) {
            c.option(OPT_GO, RawClient.infoPayload("nope"));
            assertThat(c.readOptionReply().type()).isEqualTo(REP_ERR_UNKNOWN);
            // With two exports and no default configured, the empty name is unknown too.
            c.option(OPT_INFO, RawClient.infoPayload(""));
            assertThat(c.readOptionReply().type()).isEqualTo(REP_ERR_UNKNOWN);
            assertThat(c.go("disk")).isEqualTo(1 << 20);
        }
    }

    @Test
    void listNamesEveryExportThenAcks() throws Exception {
        try (RawClient c = client().handshake()) {
            c.option(OPT_LIST, new byte[0]);
            List<OptionReply> replies = readUntilFinal(c);
            assertThat(replies.getLast().type()).isEqualTo(REP_ACK);
            List<String> names = new ArrayList<>();
            for (OptionReply r : replies.subList(0, replies.size() - 1)) {
                assertThat(r.type()).isEqualTo(REP_SERVER);
                ByteBuffer p = ByteBuffer.wrap(r.payload());
                byte[] name = new byte[p.getInt()];
                p.get(name);
                names.add(new String(name, StandardCharsets.UTF_8) + "|" + string(p));
            }
            assertThat(names).containsExactly("disk|the main disk", "ro|");
            c.option(OPT_LIST, new byte[] {1});
            assertThat(c.readOptionReply().type()).isEqualTo(REP_ERR_INVALID);
        }
    }

    @Test
    void abortIsAckedThenClosed() throws Exception {
        try (RawClient c = client().handshake()) {
            c.option(OPT_ABORT, new byte[0]);
            OptionReply r = c.readOptionReply();
            assertThat(r.type()).isEqualTo(REP_ACK);
            assertThat(c.closedByServer()).isTrue();
        }
        try (RawClient c = client().handshake()) {
            c.option(OPT_ABORT, new byte[0]);
            c.abort(); // the client may leave without reading the ACK
        }
        try (RawClient c = client().handshake()) {
            assertThat(c.go("disk")).isEqualTo(1 << 20);
        }
    }

    @Test
    void exportNameWithAndWithoutNoZeroes() throws Exception {
        try (RawClient c = client().handshake()) {
            c.option(OPT_EXPORT_NAME, "disk".getBytes(StandardCharsets.UTF_8));
            assertThat(c.in.readLong()).isEqualTo(1 << 20);
            assertThat(c.in.readShort() & TFLAG_HAS_FLAGS).isEqualTo(TFLAG_HAS_FLAGS);
            c.request(0, CMD_READ, 7, 0, 512);
            assertThat(c.readReply()).isEqualTo(new RawClient.Reply(0, 7)); // no padding came before it
            c.readData(512);
        }
        try (RawClient c = client().handshake(CLIENT_FIXED_NEWSTYLE)) {
            c.option(OPT_EXPORT_NAME, "disk".getBytes(StandardCharsets.UTF_8));
            assertThat(c.in.readLong()).isEqualTo(1 << 20);
            c.in.readShort();
            assertThat(c.readData(124)).containsOnly(0);
            c.request(0, CMD_READ, 8, 0, 512);
            assertThat(c.readReply()).isEqualTo(new RawClient.Reply(0, 8));
        }
    }

    @Test
    void exportNameForUnknownExportCloses() throws Exception {
        try (RawClient c = client().handshake()) {
            c.option(OPT_EXPORT_NAME, "nope".getBytes(StandardCharsets.UTF_8));
            assertThat(c.closedByServer()).isTrue();
        }
    }

    @Test
    void unknownClientFlagsDisconnect() throws Exception {
        try (RawClient c = client().handshake(CLIENT_FIXED_NEWSTYLE | 1 << 5)) {
            assertThat(c.closedByServer()).isTrue();
        }
        try (RawClient c = client().handshake(0)) { // not even fixed newstyle
            assertThat(c.closedByServer()).isTrue();
        }
    }

    @Test
    void badOptionMagicDisconnects() throws Exception {
        try (RawClient c = client().handshake()) {
            c.out.writeLong(0x1234);
            c.out.writeInt(OPT_GO);
            c.out.writeInt(0);
            c.out.flush();
            assertThat(c.closedByServer()).isTrue();
        }
    }

    @Test
    void emptyNameMeansTheOnlyOrTheConfiguredExport() throws Exception {
        frontend.stop();
        start(java.util.Map.of("nbd.default-export", "ro"));
        try (RawClient c = client().handshake()) {
            c.option(OPT_INFO, RawClient.infoPayload("", INFO_NAME));
            assertThat(string(info(readUntilFinal(c), INFO_NAME))).isEqualTo("ro");
        }
    }

    private static List<OptionReply> readUntilFinal(RawClient c) throws Exception {
        List<OptionReply> replies = new ArrayList<>();
        OptionReply r;
        do {
            r = c.readOptionReply();
            replies.add(r);
        } while (r.type() == REP_SERVER || r.type() == REP_INFO);
        return replies;
    }

    /** The payload of the REP_INFO of that type, after the type. */
    private static ByteBuffer info(List<OptionReply> replies, int type) {
        for (OptionReply r : replies) {
            ByteBuffer p = ByteBuffer.wrap(r.payload());
            if (r.type() == REP_INFO && p.getShort() == type) {
                return p;
            }
        }
        throw new AssertionError("no REP_INFO of type " + type);
    }

    private static String string(ByteBuffer rest) {
        byte[] b = new byte[rest.remaining()];
        rest.get(b);
        return new String(b, StandardCharsets.UTF_8);
    }
}
