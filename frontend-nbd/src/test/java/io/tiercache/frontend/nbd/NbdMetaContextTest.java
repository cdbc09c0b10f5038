package io.tiercache.frontend.nbd;

import static io.tiercache.frontend.nbd.NbdConstants.*;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** STRUCTURED_REPLY and LIST/SET_META_CONTEXT in the handshake, byte by byte. */
class NbdMetaContextTest extends ServerFixture {
    private TestDevice disk;

    @BeforeEach
    void setUp() throws Exception {
        disk = exports.add(new TestDevice("disk", 1 << 20));
        exports.add(new TestDevice("ro", 64 << 10, true));
        start();
    }

    @Test
    void listNamesTheContextsAndUnderstandsNamespaceWildcards() throws Exception {
        try (RawClient c = client().handshake()) {
            // LIST is allowed before structured replies: it only looks.
            assertThat(c.metaContext(OPT_LIST_META_CONTEXT, "disk"))
                    .containsExactly("0 base:allocation", "0 tiercache:cache", "ACK");
            assertThat(c.metaContext(OPT_LIST_META_CONTEXT, "disk", "base:")).containsExactly("0 base:allocation", "ACK");
            assertThat(c.metaContext(OPT_LIST_META_CONTEXT, "disk", "tiercache:"))
                    .containsExactly("0 tiercache:cache", "ACK");
            assertThat(c.metaContext(OPT_LIST_META_CONTEXT, "disk", "qemu:dirty-bitmap:a", "nope", "base:nothing"))
                    .containsExactly("ACK");
            assertThat(c.metaContext(OPT_LIST_META_CONTEXT, "ghost")).containsExactly("ERR 6"); // UNKNOWN
        }
    }

    @Test
    void setNeedsStructuredRepliesAndGivesFreshIds() throws Exception {
        try (RawClient c = client().handshake()) {
            assertThat(c.metaContext(OPT_SET_META_CONTEXT, "disk", "base:allocation")).containsExactly("ERR 3");
            c.structured();
            option(c, OPT_STRUCTURED_REPLY, REP_ERR_INVALID); // only once
            List<String> first = c.metaContext(OPT_SET_META_CONTEXT, "disk", "tiercache:cache", "x:y", "base:allocation");
            assertThat(first).hasSize(3).last().isEqualTo("ACK");
            assertThat(first.subList(0, 2)).allMatch(s -> !s.startsWith("0 "))
                    .anyMatch(s -> s.endsWith(" base:allocation")).anyMatch(s -> s.endsWith(" tiercache:cache"));
            List<String> second = c.metaContext(OPT_SET_META_CONTEXT, "disk", "base:allocation");
            assertThat(second).hasSize(2);
            assertThat(first).doesNotContain(second.getFirst()); // a fresh id
            // A bare namespace selects nothing in SET, and no query selects nothing.
            assertThat(c.metaContext(OPT_SET_META_CONTEXT, "disk", "base:")).containsExactly("ACK");
            assertThat(c.metaContext(OPT_SET_META_CONTEXT, "disk")).containsExactly("ACK");
            assertThat(c.metaContext(OPT_SET_META_CONTEXT, "ghost", "base:allocation")).containsExactly("ERR 6");
            assertThat(c.go("disk")).isEqualTo(1 << 20);
        }
    }

    @Test
    void lyingLengthsAreInvalidAndTheStreamStaysInSync() throws Exception {
        try (RawClient c = client().handshake().structured()) {
            byte[] good = RawClient.metaPayload("disk", "base:allocation");
            ByteBuffer nameTooLong = ByteBuffer.wrap(good.clone()).putInt(0, 1000);
            c.option(OPT_SET_META_CONTEXT, nameTooLong.array());
            assertThat(c.readOptionReply().type()).isEqualTo(REP_ERR_INVALID);
            ByteBuffer queryTooLong = ByteBuffer.wrap(good.clone()).putInt(4 + 4 + 4, 99);
            c.option(OPT_SET_META_CONTEXT, queryTooLong.array());
            assertThat(c.readOptionReply().type()).isEqualTo(REP_ERR_INVALID);
            ByteBuffer moreQueries = ByteBuffer.wrap(good.clone()).putInt(4 + 4, 5);
            c.option(OPT_LIST_META_CONTEXT, moreQueries.array());
            assertThat(c.readOptionReply().type()).isEqualTo(REP_ERR_INVALID);
            ByteBuffer tooManyQueries = ByteBuffer.wrap(good.clone()).putInt(4 + 4, 1 << 30);
            c.option(OPT_LIST_META_CONTEXT, tooManyQueries.array());
            assertThat(c.readOptionReply().type()).isEqualTo(REP_ERR_TOO_BIG);
            byte[] trailing = java.util.Arrays.copyOf(good, good.length + 3);
            c.option(OPT_SET_META_CONTEXT, trailing);
            assertThat(c.readOptionReply().type()).isEqualTo(REP_ERR_INVALID);
            c.option(OPT_LIST_META_CONTEXT, new byte[2]);
            assertThat(c.readOptionReply().type()).isEqualTo(REP_ERR_INVALID);
            assertThat(c.metaContext(OPT_SET_META_CONTEXT, "disk", "base:allocation")).hasSize(2);
            assertThat(c.go("disk")).isEqualTo(1 << 20);
        }
    }

    @Test
    void aFailedSetClearsTheSelection() throws Exception {
        try (RawClient c = client().handshake().structured()) {
            assertThat(c.metaContext(OPT_SET_META_CONTEXT, "disk", "base:allocation")).hasSize(2);
            c.option(OPT_SET_META_CONTEXT, new byte[3]);
            assertThat(c.readOptionReply().type()).isEqualTo(REP_ERR_INVALID);
            c.go("disk");
            c.request(0, CMD_BLOCK_STATUS, 1, 0, 4096);
            assertError(c.readChunk(), 1, EINVAL);
        }
    }

    @Test
    void contextsSelectedForAnotherExportDoNotApply() throws Exception {
        try (RawClient c = client().handshake().structured()) {
            assertThat(c.metaContext(OPT_SET_META_CONTEXT, "ro", "base:allocation")).hasSize(2);
            c.go("disk");
            c.request(0, CMD_BLOCK_STATUS, 1, 0, 4096);
            assertError(c.readChunk(), 1, EINVAL);
            c.request(0, CMD_READ, 2, 0, 16); // the connection works
            assertThat(c.readChunk().type()).isEqualTo(CHUNK_OFFSET_DATA);
        }
    }

    @Test
    void dfIsAdvertisedOnlyWithStructuredRepliesAndMultiConnWhenTheExportSaysSo() throws Exception {
        try (RawClient c = client().handshake()) {
            assertThat(flags(c) & TFLAG_SEND_DF).isZero();
            assertThat(flags(c) & TFLAG_CAN_MULTI_CONN).isZero();
            c.structured();
            assertThat(flags(c) & TFLAG_SEND_DF).isEqualTo(TFLAG_SEND_DF);
            disk.multiConn(true);
            assertThat(flags(c) & TFLAG_CAN_MULTI_CONN).isEqualTo(TFLAG_CAN_MULTI_CONN);
        }
    }

    /** The transmission flags INFO reports for "disk". */
    private static int flags(RawClient c) throws Exception {
        c.option(OPT_INFO, RawClient.infoPayload("disk"));
        int flags = -1;
        for (RawClient.OptionReply r = c.readOptionReply(); r.type() != REP_ACK; r = c.readOptionReply()) {
            ByteBuffer p = ByteBuffer.wrap(r.payload());
            if (p.getShort() == INFO_EXPORT) {
                p.getLong();
                flags = p.getShort() & 0xffff;
            }
        }
        return flags;
    }

    private static void option(RawClient c, int code, int expectedReply) throws Exception {
        c.option(code, new byte[0]);
        assertThat(c.readOptionReply().type()).isEqualTo(expectedReply);
    }

    static void assertError(RawClient.Chunk chunk, long cookie, int error) {
        assertThat(chunk.type()).as("chunk type").isEqualTo(CHUNK_ERROR);
        assertThat(chunk.done()).isTrue();
        assertThat(chunk.cookie()).isEqualTo(cookie);
        ByteBuffer p = chunk.data();
        assertThat(p.getInt()).as("error").isEqualTo(error);
        assertThat(p.getShort() & 0xffff).as("message length").isEqualTo(p.remaining());
    }
}
