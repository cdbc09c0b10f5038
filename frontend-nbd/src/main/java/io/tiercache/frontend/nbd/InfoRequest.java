package io.tiercache.frontend.nbd;

import static io.tiercache.frontend.nbd.NbdConstants.MAX_STRING;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;

/**
 * The payload of {@code INFO} and {@code GO}: u32 name length, name, u16 count, count × u16 info
 * types.
 *
 * @param name the export name as sent (empty means the default export)
 * @param requested bit {@code i} set when info type {@code i} (below 64) was asked for
 */
record InfoRequest(String name, long requested) {

    boolean wants(int infoType) {
        return infoType < 64 && (requested & (1L << infoType)) != 0;
    }

    /** Null when the lengths inside the payload do not add up to the payload's length. */
    static InfoRequest parse(ByteBuf payload) {
        ByteBuf in = payload.duplicate();
        if (in.readableBytes() < 4 + 2) {
            return null;
        }
        long nameLength = in.readUnsignedInt();
        if (nameLength > MAX_STRING || nameLength > in.readableBytes() - 2) {
            return null;
        }
        String name = in.readCharSequence((int) nameLength, StandardCharsets.UTF_8).toString();
        int count = in.readUnsignedShort();
        if (in.readableBytes() != 2 * count) {
            return null;
        }
        long requested = 0;
        for (int i = 0; i < count; i++) {
            int type = in.readUnsignedShort();
            if (type < 64) {
                requested |= 1L << type; // unknown types are ignored, as the protocol asks
            }
        }
        return new InfoRequest(name, requested);
    }
}
