package io.tiercache.core.control;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The control socket's wire format, big-endian throughout.
 *
 * <pre>
 * request:  MAGIC u32 | count u32 | count x (length u32 | UTF-8 bytes)      the verb, then its arguments
 * response: MAGIC u32 | status i32 | length u32 | stdout | length u32 | stderr
 * </pre>
 *
 * One request per connection. Sizes are checked before anything is allocated, so a bad client can
 * make the server hold at most {@link #MAX_REQUEST_BYTES}; anything off is a {@link ProtocolException}.
 */
public final class Frames {
    /** {@code "TC"} and protocol version 1; also tells a stray client from ours. */
    static final int MAGIC = 0x5443_0001;
    static final int MAX_STRINGS = 4096;
    /** A table with thousands of targets travels as one string, hence well above a line's size. */
    static final int MAX_STRING_BYTES = 1 << 20;
    static final int MAX_REQUEST_BYTES = 4 << 20;
    /** The daemon is trusted; this only keeps a confused peer from making the CLI allocate gigabytes. */
    static final int MAX_RESPONSE_STRING_BYTES = 64 << 20;

    private Frames() {}

    /** The peer sent something that is not a well-formed frame. */
    public static final class ProtocolException extends IOException {
        private static final long serialVersionUID = 1L;

        ProtocolException(String message) {
            super(message);
        }
    }

    public static void writeRequest(WritableByteChannel ch, List<String> words) throws IOException {
        List<byte[]> encoded = words.stream().map(w -> w.getBytes(StandardCharsets.UTF_8)).toList();
        int size = 8 + encoded.stream().mapToInt(b -> 4 + b.length).sum();
        ByteBuffer buf = ByteBuffer.allocate(size).putInt(MAGIC).putInt(encoded.size());
        encoded.forEach(b -> buf.putInt(b.length).put(b));
        writeFully(ch, buf.flip());
    }

    public static List<String> readRequest(ReadableByteChannel ch) throws IOException {
        checkMagic(ch);
        int count = readInt(ch);
        if (count < 1 || count > MAX_STRINGS) {
            throw new ProtocolException("bad string count " + count);
        }
        List<String> words = new ArrayList<>(count);
        long total = 0;
        for (int i = 0; i < count; i++) {
            int len = readLength(ch, MAX_STRING_BYTES);
            total += len;
            if (total > MAX_REQUEST_BYTES) {
                throw new ProtocolException("request larger than " + MAX_REQUEST_BYTES + " bytes");
            }
            words.add(readString(ch, len));
        }
        return words;
    }

    public static void writeResponse(WritableByteChannel ch, Response r) throws IOException {
        byte[] out = r.out().getBytes(StandardCharsets.UTF_8);
        byte[] err = r.err().getBytes(StandardCharsets.UTF_8);
        ByteBuffer buf = ByteBuffer.allocate(16 + out.length + err.length).putInt(MAGIC).putInt(r.status())
                .putInt(out.length).put(out).putInt(err.length).put(err);
        writeFully(ch, buf.flip());
    }

    public static Response readResponse(ReadableByteChannel ch) throws IOException {
        checkMagic(ch);
        int status = readInt(ch);
        String out = readString(ch, readLength(ch, MAX_RESPONSE_STRING_BYTES));
        String err = readString(ch, readLength(ch, MAX_RESPONSE_STRING_BYTES));
        return new Response(status, out, err);
    }

    private static void checkMagic(ReadableByteChannel ch) throws IOException {
        int magic = readInt(ch);
        if (magic != MAGIC) {
            throw new ProtocolException("bad magic 0x" + Integer.toHexString(magic));
        }
    }

    private static int readLength(ReadableByteChannel ch, int max) throws IOException {
        int len = readInt(ch);
        if (len < 0 || len > max) {
            throw new ProtocolException("bad string length " + Integer.toUnsignedString(len));
        }
        return len;
    }

    private static int readInt(ReadableByteChannel ch) throws IOException {
        return readFully(ch, ByteBuffer.allocate(4)).getInt();
    }

    private static String readString(ReadableByteChannel ch, int len) throws IOException {
        ByteBuffer bytes = readFully(ch, ByteBuffer.allocate(len));
        try {
            // Strict decoding: garbage is refused rather than turned into U+FFFD device names.
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(bytes).toString();
        } catch (CharacterCodingException e) {
            throw new ProtocolException("string is not UTF-8");
        }
    }

    private static ByteBuffer readFully(ReadableByteChannel ch, ByteBuffer buf) throws IOException {
        while (buf.hasRemaining()) {
            if (ch.read(buf) < 0) {
                throw new EOFException("connection closed mid-frame");
            }
        }
        return buf.flip();
    }

    private static void writeFully(WritableByteChannel ch, ByteBuffer buf) throws IOException {
        while (buf.hasRemaining()) {
            ch.write(buf);
        }
    }
}
