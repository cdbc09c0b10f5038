package io.tiercache.frontend.nbd;

import static io.tiercache.frontend.nbd.NbdConstants.MAX_META_QUERIES;
import static io.tiercache.frontend.nbd.NbdConstants.MAX_STRING;
import static io.tiercache.frontend.nbd.NbdConstants.REP_ERR_INVALID;
import static io.tiercache.frontend.nbd.NbdConstants.REP_ERR_TOO_BIG;

import io.netty.buffer.ByteBuf;
import io.tiercache.spi.frontend.BlockStatusContext;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * The payload of {@code LIST_META_CONTEXT} and {@code SET_META_CONTEXT}: u32 export name length,
 * name, u32 query count, then count × (u32 length, query), and which contexts it selects.
 *
 * @param exportName the export the contexts are for, as sent
 * @param queries the context names (or, for LIST, {@code namespace:} wildcards) asked for
 */
record MetaContextRequest(String exportName, List<String> queries) {

    /** Parses the payload, checking that every length inside it fits and nothing is left over. */
    static MetaContextRequest parse(ByteBuf payload) throws OptionException {
        ByteBuf in = payload.duplicate();
        String name = string(in, "export name");
        if (in.readableBytes() < 4) {
            throw new OptionException(REP_ERR_INVALID, "missing query count");
        }
        long count = in.readUnsignedInt();
        if (count > MAX_META_QUERIES) {
            throw new OptionException(REP_ERR_TOO_BIG, "too many queries");
        }
        List<String> queries = new ArrayList<>((int) Math.min(count, in.readableBytes() / 4 + 1));
        for (long i = 0; i < count; i++) {
            queries.add(string(in, "query"));
        }
        if (in.isReadable()) {
            throw new OptionException(REP_ERR_INVALID, "trailing bytes after the queries");
        }
        return new MetaContextRequest(name, queries);
    }

    private static String string(ByteBuf in, String what) throws OptionException {
        if (in.readableBytes() < 4) {
            throw new OptionException(REP_ERR_INVALID, what + " length missing");
        }
        long length = in.readUnsignedInt();
        if (length > in.readableBytes()) {
            throw new OptionException(REP_ERR_INVALID, what + " runs past the option");
        }
        if (length > MAX_STRING) {
            throw new OptionException(REP_ERR_TOO_BIG, what + " longer than 4096 bytes");
        }
        return in.readCharSequence((int) length, StandardCharsets.UTF_8).toString();
    }

    /**
     * What LIST answers: every context for no query, a whole namespace for {@code ns:}, else the
     * exact names. Unknown names and namespaces match nothing, as the protocol asks.
     */
    Set<BlockStatusContext> listed() {
        if (queries.isEmpty()) {
            return EnumSet.allOf(BlockStatusContext.class);
        }
        Set<BlockStatusContext> out = EnumSet.noneOf(BlockStatusContext.class);
        for (String q : queries) {
            for (BlockStatusContext c : BlockStatusContext.values()) {
                if (q.equals(c.contextName()) || q.equals(c.namespace())) {
                    out.add(c);
                }
            }
        }
        return out;
    }

    /**
     * What SET selects: exact names only (a bare namespace selects nothing, as in qemu), and
     * nothing at all for no query.
     */
    Set<BlockStatusContext> selected() {
        Set<BlockStatusContext> out = EnumSet.noneOf(BlockStatusContext.class);
        for (String q : queries) {
            for (BlockStatusContext c : BlockStatusContext.values()) {
                if (q.equals(c.contextName())) {
                    out.add(c);
                }
            }
        }
        return out;
    }
}
