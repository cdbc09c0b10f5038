package io.tiercache.frontend.nbd;

import static io.tiercache.frontend.nbd.NbdConstants.INFO_BLOCK_SIZE;
import static io.tiercache.frontend.nbd.NbdConstants.INFO_EXPORT;
import static io.tiercache.frontend.nbd.NbdConstants.MAX_PAYLOAD;
import static io.tiercache.frontend.nbd.NbdConstants.MAX_STRING;
import static io.tiercache.frontend.nbd.NbdConstants.OPTION_REPLY_MAGIC;
import static io.tiercache.frontend.nbd.NbdConstants.PREFERRED_BLOCK;
import static io.tiercache.frontend.nbd.NbdConstants.REP_INFO;
import static io.tiercache.frontend.nbd.NbdConstants.REP_META_CONTEXT;
import static io.tiercache.frontend.nbd.NbdConstants.REP_SERVER;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** Builds option replies (magic, option, type, length, payload) as single buffers. */
final class OptionReplies {
    private static final int HEADER = 20;

    private OptionReplies() {}

    /** A reply with no payload, such as {@code ACK}. */
    static ByteBuf empty(ByteBufAllocator alloc, int option, int type) {
        return header(alloc.buffer(HEADER), option, type, 0);
    }

    /** An error reply carrying a fixed, human-readable message (never an exception's text). */
    static ByteBuf error(ByteBufAllocator alloc, int option, int type, String message) {
        byte[] text = truncated(message);
        ByteBuf buf = header(alloc.buffer(HEADER + text.length), option, type, text.length);
        return buf.writeBytes(text);
    }

    /** {@code REP_SERVER}: u32 name length, name, then the description as the rest. */
    static ByteBuf server(ByteBufAllocator alloc, int option, String name, String description) {
        byte[] n = truncated(name);
        byte[] d = truncated(description);
        ByteBuf buf = header(alloc.buffer(HEADER + 4 + n.length + d.length), option, REP_SERVER, 4 + n.length + d.length);
        return buf.writeInt(n.length).writeBytes(n).writeBytes(d);
    }

    /** {@code REP_INFO} with {@code INFO_EXPORT}: size and transmission flags. */
    static ByteBuf infoExport(ByteBufAllocator alloc, int option, long size, int flags) {
        ByteBuf buf = header(alloc.buffer(HEADER + 12), option, REP_INFO, 12);
        return buf.writeShort(INFO_EXPORT).writeLong(size).writeShort(flags);
    }

    /** {@code REP_INFO} carrying a string ({@code INFO_NAME}, {@code INFO_DESCRIPTION}). */
    static ByteBuf infoString(ByteBufAllocator alloc, int option, int infoType, String value) {
        byte[] text = truncated(value);
        ByteBuf buf = header(alloc.buffer(HEADER + 2 + text.length), option, REP_INFO, 2 + text.length);
        return buf.writeShort(infoType).writeBytes(text);
    }

    /**
     * {@code REP_INFO} with {@code INFO_BLOCK_SIZE}: any alignment works (minimum 1), 4 KiB is
     * preferred, and payloads up to the 32 MiB every client assumes are accepted.
     */
    static ByteBuf infoBlockSize(ByteBufAllocator alloc, int option) {
        ByteBuf buf = header(alloc.buffer(HEADER + 14), option, REP_INFO, 14);
        return buf.writeShort(INFO_BLOCK_SIZE).writeInt(1).writeInt(PREFERRED_BLOCK).writeInt(MAX_PAYLOAD);
    }

    /** {@code REP_META_CONTEXT}: u32 context id (0 in LIST answers), then the context's name. */
    static ByteBuf metaContext(ByteBufAllocator alloc, int option, int id, String name) {
        byte[] n = truncated(name);
        ByteBuf buf = header(alloc.buffer(HEADER + 4 + n.length), option, REP_META_CONTEXT, 4 + n.length);
        return buf.writeInt(id).writeBytes(n);
    }

    private static ByteBuf header(ByteBuf buf, int option, int type, int length) {
        return buf.writeLong(OPTION_REPLY_MAGIC).writeInt(option).writeInt(type).writeInt(length);
    }

    /** UTF-8, cut to the protocol's 4096-byte string limit on a character boundary. */
    static byte[] truncated(String s) {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        if (bytes.length <= MAX_STRING) {
            return bytes;
        }
        int end = MAX_STRING;
        while (end > 0 && (bytes[end] & 0xC0) == 0x80) {
            end--; // don't split a multi-byte sequence
        }
        return Arrays.copyOf(bytes, end);
    }
}
