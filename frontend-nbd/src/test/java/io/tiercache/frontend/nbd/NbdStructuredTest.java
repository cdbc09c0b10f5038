package io.tiercache.frontend.nbd;

import static io.tiercache.frontend.nbd.NbdConstants.*;
import static io.tiercache.frontend.nbd.NbdMetaContextTest.assertError;
import static io.tiercache.spi.frontend.BlockStatusContext.CACHED;
import static io.tiercache.spi.frontend.BlockStatusContext.DIRTY;
import static io.tiercache.spi.frontend.BlockStatusContext.HOLE;
import static io.tiercache.spi.frontend.BlockStatusContext.ZERO;
import static org.assertj.core.api.Assertions.assertThat;

import io.tiercache.frontend.nbd.RawClient.Chunk;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Transmission with structured replies: READ chunks, holes, errors, BLOCK_STATUS. */
class NbdStructuredTest extends ServerFixture {
    static final int SIZE = 1 << 20;
    private TestDevice disk;
    private final Map<String, Integer> ids = new java.util.HashMap<>();

    @BeforeEach
    void setUp() throws Exception {
        disk = exports.add(new TestDevice("disk", SIZE));
        start();
    }

    /** Structured replies, both contexts selected (cache first), GO. */
    private RawClient connect() throws Exception {
        RawClient c = client().handshake().structured();
        for (String s : c.metaContext(OPT_SET_META_CONTEXT, "disk", "tiercache:cache", "base:allocation")) {
            if (!s.equals("ACK")) {
                ids.put(s.substring(s.indexOf(' ') + 1), Integer.parseInt(s.substring(0, s.indexOf(' '))));
            }
        }
        assertThat(ids).hasSize(2);
        c.go("disk");
        return c;
    }

    @Test
    void aReadIsOneDataChunkAndErrorsAreErrorChunks() throws Exception {
        byte[] data = NbdTransmissionTest.random(8192, 3);
        try (RawClient c = connect()) {
            c.write(1, 4096, data);
            assertThat(c.readReply()).isEqualTo(new RawClient.Reply(0, 1)); // writes stay simple
            c.request(0, CMD_READ, 2, 4096, 8192);
            Chunk chunk = c.readChunk();
            assertThat(chunk.type()).isEqualTo(CHUNK_OFFSET_DATA);
            assertThat(chunk.done()).isTrue();
            assertThat(chunk.cookie()).isEqualTo(2);
            ByteBuffer p = chunk.data();
            assertThat(p.getLong()).isEqualTo(4096);
            assertThat(Arrays.copyOfRange(chunk.payload(), 8, chunk.payload().length)).isEqualTo(data);

            c.request(0, CMD_READ, 3, SIZE - 512, 1024); // early EINVAL is a chunk too
            assertError(c.readChunk(), 3, EINVAL);
            c.request(CMD_FLAG_REQ_ONE, CMD_READ, 4, 0, 512); // a flag READ does not take
            assertError(c.readChunk(), 4, EINVAL);
            disk.failWith(new IOException("broken"));
            c.request(0, CMD_READ, 5, 0, 4096);
            assertError(c.readChunk(), 5, EIO);
            disk.failWith(null);
            c.request(CMD_FLAG_DF, CMD_READ, 6, 4096, 8192);
            assertThat(c.readChunks()).hasSize(1).first().extracting(Chunk::type).isEqualTo(CHUNK_OFFSET_DATA);
        }
    }

    @Test
    void knownZeroesAreSentAsHolesUnlessDfIsSet() throws Exception {
        byte[] data = NbdTransmissionTest.random(SIZE, 4);
        try (RawClient c = connect()) {
            c.write(1, 0, data);
            c.readReply();
            c.request(0, CMD_WRITE_ZEROES, 2, 8192, 8192);
            c.readReply();
            c.request(0, CMD_TRIM, 3, 20480, 4096);
            c.readReply();
            Arrays.fill(data, 8192, 16384, (byte) 0);
            Arrays.fill(data, 20480, 24576, (byte) 0);
            c.request(0, CMD_READ, 4, 1000, 30000);
            List<Chunk> chunks = c.readChunks();
            assertThat(chunks).extracting(Chunk::type).containsExactly(CHUNK_OFFSET_DATA, CHUNK_OFFSET_HOLE,
                    CHUNK_OFFSET_DATA, CHUNK_OFFSET_HOLE, CHUNK_OFFSET_DATA);
            assertThat(reassemble(chunks, 1000, 30000)).isEqualTo(Arrays.copyOfRange(data, 1000, 31000));
            c.request(CMD_FLAG_DF, CMD_READ, 5, 1000, 30000);
            List<Chunk> one = c.readChunks();
            assertThat(one).extracting(Chunk::type).containsExactly(CHUNK_OFFSET_DATA);
            assertThat(reassemble(one, 1000, 30000)).isEqualTo(Arrays.copyOfRange(data, 1000, 31000));
            c.request(0, CMD_READ, 6, 8192, 4096); // all zero: a single hole chunk
            assertThat(c.readChunks()).extracting(Chunk::type).containsExactly(CHUNK_OFFSET_HOLE);
        }
    }

    @Test
    void aReadFailingAfterAHoleEndsWithErrorOffset() throws Exception {
        try (RawClient c = connect()) {
            c.request(0, CMD_WRITE_ZEROES, 1, 0, 4096);
            c.readReply();
            disk.failWith(new IOException("bad sector"));
            c.request(0, CMD_READ, 2, 0, 8192);
            List<Chunk> chunks = c.readChunks();
            assertThat(chunks).extracting(Chunk::type).containsExactly(CHUNK_OFFSET_HOLE, CHUNK_ERROR_OFFSET);
            ByteBuffer p = chunks.getLast().data();
            assertThat(p.getInt()).isEqualTo(EIO);
            assertThat(p.getShort()).isZero();
            assertThat(p.getLong()).as("first failed byte").isEqualTo(4096);
        }
    }

    @Test
    void blockStatusAnswersEachContextWithMergedExtents() throws Exception {
        disk.setCacheState(0, 16384, CACHED);
        disk.setCacheState(16384, 8192, CACHED | DIRTY);
        try (RawClient c = connect()) {
            c.request(0, CMD_TRIM, 1, 4096, 4096);
            c.readReply();
            c.request(0, CMD_WRITE_ZEROES, 2, 8192, 8192);
            c.readReply();
            c.request(0, CMD_BLOCK_STATUS, 3, 0, 65536);
            List<Chunk> chunks = c.readChunks();
            assertThat(chunks).hasSize(2).allMatch(ch -> ch.type() == CHUNK_BLOCK_STATUS && ch.cookie() == 3);
            assertThat(extents(chunks, "base:allocation"))
                    .containsExactly(List.of(4096L, 0L), List.of(4096L, (long) (HOLE | ZERO)), List.of(8192L, (long) ZERO),
                            List.of(65536L - 16384, 0L));
            assertThat(extents(chunks, "tiercache:cache"))
                    .containsExactly(List.of(16384L, (long) CACHED), List.of(8192L, (long) (CACHED | DIRTY)),
                            List.of(65536L - 24576, 0L));

            c.request(CMD_FLAG_REQ_ONE, CMD_BLOCK_STATUS, 4, 100, 5000); // unaligned, one extent each
            List<Chunk> one = c.readChunks();
            assertThat(extents(one, "base:allocation")).containsExactly(List.of(3996L, 0L));
            assertThat(extents(one, "tiercache:cache")).containsExactly(List.of(5000L, (long) CACHED));

            c.request(0, CMD_BLOCK_STATUS, 5, SIZE - 4096, 8192);
            assertError(c.readChunk(), 5, EINVAL);
            c.request(0, CMD_BLOCK_STATUS, 6, 0, 0);
            assertError(c.readChunk(), 6, EINVAL);
            c.request(CMD_FLAG_DF, CMD_BLOCK_STATUS, 7, 0, 4096);
            assertError(c.readChunk(), 7, EINVAL);
        }
    }

    @Test
    void extentsAreCappedClippedAndAnEmptyAnswerIsAnError() throws Exception {
        exports.add(new TestDevice("huge", 4 << 20)).statusHook((ctx, off, len, sink) -> {
            for (long i = 0; i < len; i++) { // byte-sized extents, alternating: 4 Mi of them
                if (!sink.extent(1, (int) (i & 1))) {
                    return;
                }
            }
        });
        try (RawClient c = client().handshake().structured()) {
            assertThat(c.metaContext(OPT_SET_META_CONTEXT, "huge", "base:allocation")).hasSize(2);
            c.go("huge");
            c.request(0, CMD_BLOCK_STATUS, 1, 0, 4 << 20);
            List<List<Long>> extents = extentsOf(c.readChunk());
            assertThat(extents).hasSize(MAX_EXTENTS);
            exports.device("huge").statusHook((ctx, off, len, sink) -> sink.extent(len * 10, HOLE));
            c.request(0, CMD_BLOCK_STATUS, 2, 4096, 4096);
            assertThat(extentsOf(c.readChunk())).containsExactly(List.of(4096L, (long) HOLE));
            exports.device("huge").statusHook((ctx, off, len, sink) -> {});
            c.request(0, CMD_BLOCK_STATUS, 3, 0, 4096);
            assertError(c.readChunk(), 3, EIO);
        }
    }

    /** The extents of the chunk for the named context, as (length, flags) pairs. */
    private List<List<Long>> extents(List<Chunk> chunks, String context) {
        int id = ids.get(context);
        for (Chunk ch : chunks) {
            if (ch.data().getInt() == id) {
                return extentsOf(ch);
            }
        }
        throw new AssertionError("no chunk for " + context);
    }

    private static List<List<Long>> extentsOf(Chunk ch) {
        ByteBuffer p = ch.data();
        p.getInt();
        List<List<Long>> out = new ArrayList<>();
        while (p.hasRemaining()) {
            out.add(List.of(p.getInt() & 0xffffffffL, p.getInt() & 0xffffffffL));
        }
        return out;
    }

    /** Puts data and hole chunks back together, checking they tile the range exactly. */
    static byte[] reassemble(List<Chunk> chunks, long offset, int length) {
        byte[] out = new byte[length];
        boolean[] seen = new boolean[length];
        for (Chunk ch : chunks) {
            ByteBuffer p = ch.data();
            int at = (int) (p.getLong() - offset);
            int n = ch.type() == CHUNK_OFFSET_HOLE ? p.getInt() : p.remaining();
            if (ch.type() == CHUNK_OFFSET_DATA) {
                p.get(out, at, n);
            }
            for (int i = at; i < at + n; i++) {
                if (seen[i]) {
                    throw new AssertionError("byte " + i + " covered twice");
                }
                seen[i] = true;
            }
        }
        for (int i = 0; i < length; i++) {
            if (!seen[i]) {
                throw new AssertionError("byte " + i + " not covered");
            }
        }
        assertThat(chunks.getLast().done()).isTrue();
        return out;
    }
}
