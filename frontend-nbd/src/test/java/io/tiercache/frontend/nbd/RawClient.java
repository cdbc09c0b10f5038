package io.tiercache.frontend.nbd;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/** A bare NBD client on a plain socket, for poking at the protocol byte by byte. */
final class RawClient implements AutoCloseable {
    static final int REPLY_MAGIC = 0x67446698;

    record OptionReply(int option, int type, byte[] payload) {}

    record Reply(int error, long cookie) {}

    /** A structured reply chunk. */
    record Chunk(int flags, int type, long cookie, byte[] payload) {
        boolean done() {
            return (flags & NbdConstants.CHUNK_FLAG_DONE) != 0;
        }

        java.nio.ByteBuffer data() {
            return java.nio.ByteBuffer.wrap(payload);
        }
    }

    private Socket socket;
    DataInputStream in;
    DataOutputStream out;

    RawClient(InetSocketAddress address) throws IOException {
        socket = new Socket();
        socket.connect(address, 5_000);
        socket.setSoTimeout(10_000);
        in = new DataInputStream(socket.getInputStream());
        out = new DataOutputStream(new BufferedOutputStream(socket.getOutputStream()));
    }

    /** Reads the greeting and answers with the given client flags. */
    RawClient handshake(int clientFlags) throws IOException {
        assertThat(in.readLong()).isEqualTo(NbdConstants.NBDMAGIC);
        assertThat(in.readLong()).isEqualTo(NbdConstants.IHAVEOPT);
        assertThat(in.readUnsignedShort()).isEqualTo(NbdConstants.FLAG_FIXED_NEWSTYLE | NbdConstants.FLAG_NO_ZEROES);
        out.writeInt(clientFlags);
        out.flush();
        return this;
    }

    RawClient handshake() throws IOException {
        return handshake(NbdConstants.CLIENT_FIXED_NEWSTYLE | NbdConstants.CLIENT_NO_ZEROES);
    }

    void option(int code, byte[] payload) throws IOException {
        out.writeLong(NbdConstants.IHAVEOPT);
        out.writeInt(code);
        out.writeInt(payload.length);
        out.write(payload);
        out.flush();
    }

    OptionReply readOptionReply() throws IOException {
        assertThat(in.readLong()).isEqualTo(NbdConstants.OPTION_REPLY_MAGIC);
        int option = in.readInt();
        int type = in.readInt();
        int length = in.readInt();
        assertThat(length).isBetween(0, 1 << 20);
        byte[] payload = new byte[length];
        in.readFully(payload);
        return new OptionReply(option, type, payload);
    }

    /** The INFO/GO payload: name and the info types asked for. */
    static byte[] infoPayload(String name, int... infos) {
        byte[] n = name.getBytes(StandardCharsets.UTF_8);
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(4 + n.length + 2 + 2 * infos.length);
        b.putInt(n.length).put(n).putShort((short) infos.length);
        for (int i : infos) {
            b.putShort((short) i);
        }
        return b.array();
    }

    /** GO to an export; returns its size after checking the replies end in ACK. */
    long go(String name) throws IOException {
        option(NbdConstants.OPT_GO, infoPayload(name));
        long size = -1;
        while (true) {
            OptionReply r = readOptionReply();
            assertThat(r.option()).isEqualTo(NbdConstants.OPT_GO);
            if (r.type() == NbdConstants.REP_ACK) {
                return size;
            }
            assertThat(r.type()).as("GO reply type").isEqualTo(NbdConstants.REP_INFO);
            java.nio.ByteBuffer p = java.nio.ByteBuffer.wrap(r.payload());
            if (p.getShort() == NbdConstants.INFO_EXPORT) {
                size = p.getLong();
            }
        }
    }

    void request(int flags, int type, long cookie, long offset, long length) throws IOException {
        requestHeader(flags, type, cookie, offset, length);
        out.flush();
    }

    void requestHeader(int flags, int type, long cookie, long offset, long length) throws IOException {
        out.writeInt(NbdConstants.REQUEST_MAGIC);
        out.writeShort(flags);
        out.writeShort(type);
        out.writeLong(cookie);
        out.writeLong(offset);
        out.writeInt((int) length);
    }

    void write(long cookie, long offset, byte[] data) throws IOException {
        requestHeader(0, NbdConstants.CMD_WRITE, cookie, offset, data.length);
        out.write(data);
        out.flush();
    }

    Reply readReply() throws IOException {
        assertThat(in.readInt()).as("reply magic").isEqualTo(REPLY_MAGIC);
        return new Reply(in.readInt(), in.readLong());
    }

    /** Reads one chunk of a structured reply. */
    Chunk readChunk() throws IOException {
        assertThat(in.readInt()).as("chunk magic").isEqualTo(NbdConstants.STRUCTURED_REPLY_MAGIC);
        int flags = in.readUnsignedShort();
        int type = in.readUnsignedShort();
        long cookie = in.readLong();
        int length = in.readInt();
        assertThat(length).isBetween(0, 64 << 20);
        return new Chunk(flags, type, cookie, readData(length));
    }

    /** Reads chunks up to and including the one flagged DONE. */
    java.util.List<Chunk> readChunks() throws IOException {
        java.util.List<Chunk> chunks = new java.util.ArrayList<>();
        Chunk c;
        do {
            c = readChunk();
            chunks.add(c);
        } while (!c.done());
        return chunks;
    }

    /** Negotiates structured replies. */
    RawClient structured() throws IOException {
        option(NbdConstants.OPT_STRUCTURED_REPLY, new byte[0]);
        assertThat(readOptionReply().type()).isEqualTo(NbdConstants.REP_ACK);
        return this;
    }

    /** The LIST/SET_META_CONTEXT payload. */
    static byte[] metaPayload(String export, String... queries) {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (DataOutputStream d = new DataOutputStream(bytes)) {
            byte[] n = export.getBytes(StandardCharsets.UTF_8);
            d.writeInt(n.length);
            d.write(n);
            d.writeInt(queries.length);
            for (String q : queries) {
                byte[] b = q.getBytes(StandardCharsets.UTF_8);
                d.writeInt(b.length);
                d.write(b);
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /**
     * Sends LIST or SET_META_CONTEXT and returns "id name" per context reply, then the final
     * reply's type as the last element.
     */
    java.util.List<String> metaContext(int option, String export, String... queries) throws IOException {
        option(option, metaPayload(export, queries));
        java.util.List<String> out = new java.util.ArrayList<>();
        while (true) {
            OptionReply r = readOptionReply();
            if (r.type() != NbdConstants.REP_META_CONTEXT) {
                out.add(r.type() == NbdConstants.REP_ACK ? "ACK" : "ERR " + (r.type() & 0x7fffffff));
                return out;
            }
            java.nio.ByteBuffer p = java.nio.ByteBuffer.wrap(r.payload());
            int id = p.getInt();
            out.add(id + " " + StandardCharsets.UTF_8.decode(p));
        }
    }

    byte[] readData(int length) throws IOException {
        byte[] data = new byte[length];
        in.readFully(data);
        return data;
    }

    /** Whether the server closed the connection (EOF or reset) within the socket timeout. */
    boolean closedByServer() throws IOException {
        try {
            return in.read() < 0;
        } catch (EOFException | SocketException e) {
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        }
    }

    /** Runs a TLS handshake over the connection (after STARTTLS was acknowledged) and talks TLS from then on. */
    void upgradeToTls(javax.net.ssl.SSLContext tls) throws IOException {
        javax.net.ssl.SSLSocket ssl = (javax.net.ssl.SSLSocket) tls.getSocketFactory()
                .createSocket(socket, "localhost", socket.getPort(), true);
        ssl.setUseClientMode(true);
        ssl.startHandshake();
        socket = ssl;
        in = new DataInputStream(ssl.getInputStream());
        out = new DataOutputStream(new BufferedOutputStream(ssl.getOutputStream()));
    }

    void shortTimeout(int millis) throws SocketException {
        socket.setSoTimeout(millis);
    }

    /** Closes with an RST instead of a FIN: the rudest way a client can go. */
    void abort() throws IOException {
        socket.setSoLinger(true, 0);
        socket.close();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
