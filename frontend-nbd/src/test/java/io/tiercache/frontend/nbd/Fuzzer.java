package io.tiercache.frontend.nbd;

import static io.tiercache.frontend.nbd.NbdConstants.*;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.Random;

/**
 * Generates what one fuzzing client sends on a connection: client flags, a run of options (valid,
 * mutated, unknown, lying about their lengths), often a GO or EXPORT_NAME, and then a run of
 * transmission requests (random commands, flags, offsets and lengths, some writes carrying a
 * payload, some not). Seeded, so a failure can be replayed.
 */
final class Fuzzer {
    private final Random rnd;
    private final long exportSize;
    private long inputs;
    /** Whether this connection may get mutations that end it (bad magic, lies, absurd lengths). */
    private boolean lethal;

    Fuzzer(long seed, long exportSize) {
        this.rnd = new Random(seed);
        this.exportSize = exportSize;
    }

    /** Options and requests generated so far. */
    long inputs() {
        return inputs;
    }

    /** The bytes of one connection; sometimes cut short, as by a client that dies. */
    byte[] connection() {
        ByteBuf out = Unpooled.buffer(1 << 16);
        // A third of the connections fuzz the handshake hard, and rarely get past it; the rest
        // keep their framing intact for long enough to fuzz many requests.
        lethal = rnd.nextInt(3) == 0;
        out.writeInt(lethal && rnd.nextInt(10) == 0 ? rnd.nextInt(8) : CLIENT_FIXED_NEWSTYLE | CLIENT_NO_ZEROES);
        int options = lethal ? rnd.nextInt(60) : rnd.nextInt(12);
        for (int i = 0; i < options; i++) {
            option(out);
        }
        int ending = rnd.nextInt(10);
        if (ending <= 6) {
            if (rnd.nextBoolean()) {
                validOption(out, OPT_STRUCTURED_REPLY, new byte[0]);
                validOption(out, OPT_SET_META_CONTEXT, RawClient.metaPayload("disk", "base:allocation", "tiercache:cache"));
            }
            validOption(out, ending == 6 ? OPT_EXPORT_NAME : OPT_GO,
                    ending == 6 ? "disk".getBytes(StandardCharsets.UTF_8) : RawClient.infoPayload("disk"));
            int requests = 300 + rnd.nextInt(1500);
            for (int i = 0; i < requests; i++) {
                request(out);
            }
        } else if (ending == 7) {
            validOption(out, OPT_ABORT, new byte[0]);
        }
        byte[] bytes = new byte[out.readableBytes()];
        out.readBytes(bytes);
        if (rnd.nextInt(8) == 0) {
            return java.util.Arrays.copyOf(bytes, rnd.nextInt(bytes.length + 1));
        }
        return bytes;
    }

    private void validOption(ByteBuf out, int code, byte[] payload) {
        out.writeLong(IHAVEOPT).writeInt(code).writeInt(payload.length).writeBytes(payload);
        inputs++;
    }

    private void option(ByteBuf out) {
        inputs++;
        int code = pickOptionCode();
        byte[] payload = mutate(optionPayload(code));
        int roll = lethal ? rnd.nextInt(200) : 10 + rnd.nextInt(190);
        long magic = roll == 0 ? rnd.nextLong() : IHAVEOPT;
        long declared = payload.length;
        if (roll == 1) {
            declared = (long) MAX_OPTION_LENGTH + rnd.nextInt(1 << 20); // an absurd length: disconnect
        } else if (roll < 8) {
            declared = Math.max(0, payload.length + rnd.nextInt(17) - 8); // a small lie
        } else if (roll < 10) {
            declared = MAX_BUFFERED_OPTION + rnd.nextInt(1 << 12); // long: skipped unbuffered
            payload = new byte[(int) declared];
        }
        out.writeLong(magic).writeInt(code).writeInt((int) declared).writeBytes(payload);
    }

    private int pickOptionCode() {
        return switch (rnd.nextInt(12)) {
            case 0 -> rnd.nextInt();
            case 1 -> lethal ? OPT_EXPORT_NAME : OPT_LIST; // a mutated name is unknown: the connection closes
            case 2, 3 -> OPT_INFO;
            case 4 -> OPT_GO; // to a real export only on lethal connections: it ends the handshake
            case 5 -> OPT_LIST;
            case 6 -> lethal ? OPT_STARTTLS : OPT_LIST; // the bytes behind it are not TLS: closed
            case 7 -> OPT_STRUCTURED_REPLY;
            case 8, 9 -> OPT_LIST_META_CONTEXT;
            case 10 -> OPT_SET_META_CONTEXT;
            default -> OPT_EXTENDED_HEADERS;
        };
    }

    private byte[] optionPayload(int code) {
        return switch (code) {
            case OPT_INFO -> RawClient.infoPayload(rnd.nextBoolean() ? "disk" : "nope", INFO_NAME, INFO_BLOCK_SIZE);
            case OPT_GO -> RawClient.infoPayload(lethal && rnd.nextBoolean() ? "disk" : "nope", INFO_BLOCK_SIZE);
            case OPT_LIST_META_CONTEXT, OPT_SET_META_CONTEXT ->
                RawClient.metaPayload(rnd.nextBoolean() ? "disk" : "", "base:", "tiercache:cache", "qemu:x");
            case OPT_EXPORT_NAME -> "disk-not-really".getBytes(StandardCharsets.UTF_8);
            default -> new byte[rnd.nextInt(4) == 0 ? rnd.nextInt(64) : 0];
        };
    }

    /** Leaves most payloads alone; else flips bits, truncates, extends or replaces them. */
    private byte[] mutate(byte[] p) {
        switch (rnd.nextInt(6)) {
            case 0 -> {
                for (int i = 0, n = 1 + rnd.nextInt(4); i < n && p.length > 0; i++) {
                    p[rnd.nextInt(p.length)] ^= (byte) (1 << rnd.nextInt(8));
                }
            }
            case 1 -> p = java.util.Arrays.copyOf(p, rnd.nextInt(p.length + 1));
            case 2 -> p = java.util.Arrays.copyOf(p, p.length + rnd.nextInt(16));
            case 3 -> {
                p = new byte[rnd.nextInt(48)];
                rnd.nextBytes(p);
            }
            default -> { }
        }
        return p;
    }

    private void request(ByteBuf out) {
        inputs++;
        int type = switch (rnd.nextInt(20)) {
            case 0 -> rnd.nextInt(1 << 16);
            case 1 -> rnd.nextInt(300) == 0 ? CMD_DISC : CMD_FLUSH;
            case 2, 3 -> CMD_TRIM;
            case 4 -> CMD_CACHE;
            case 5, 6 -> CMD_WRITE_ZEROES;
            case 7, 8 -> CMD_BLOCK_STATUS;
            case 9, 10, 11, 12 -> CMD_WRITE;
            default -> CMD_READ;
        };
        int flags = switch (rnd.nextInt(6)) {
            case 0 -> rnd.nextInt(1 << 16);
            case 1, 2 -> 1 << rnd.nextInt(6); // one flag, which may or may not apply
            default -> 0;
        };
        long offset = switch (rnd.nextInt(10)) {
            case 0 -> rnd.nextLong();
            case 1 -> exportSize - rnd.nextInt(8192);
            default -> rnd.nextLong(exportSize);
        };
        long length = switch (rnd.nextInt(10)) {
            case 0 -> 0;
            case 1 -> rnd.nextLong(1L << 32);
            case 2 -> rnd.nextInt((int) Math.min(exportSize, 256 << 10) + 1);
            default -> 1 + rnd.nextInt(16384);
        };
        boolean lethalHere = lethal && rnd.nextInt(100) == 0;
        int magic = lethalHere && rnd.nextBoolean() ? rnd.nextInt() : REQUEST_MAGIC;
        if (type == CMD_WRITE && !lethalHere) {
            length = length == 0 ? 0 : 1 + rnd.nextInt(16384); // keep the framing: send what is declared
        }
        out.writeInt(magic).writeShort(flags).writeShort(type).writeLong(rnd.nextLong()).writeLong(offset)
                .writeInt((int) length);
        // A write's payload follows unless it is huge (or, rarely, withheld): then what comes
        // next is taken as its payload, or skipped if it is over the limit.
        if (type == CMD_WRITE && length <= 65536 && !(lethalHere && rnd.nextBoolean())) {
            out.writeZero((int) length);
        }
    }
}
