package io.tiercache.frontend.nbd;

import static io.tiercache.frontend.nbd.NbdConstants.CMD_FLAG_FUA;
import static io.tiercache.frontend.nbd.NbdConstants.CMD_FLUSH;
import static io.tiercache.frontend.nbd.NbdConstants.CMD_READ;
import static io.tiercache.frontend.nbd.NbdConstants.CMD_TRIM;
import static io.tiercache.frontend.nbd.NbdConstants.CMD_WRITE;
import static io.tiercache.frontend.nbd.NbdConstants.CMD_WRITE_ZEROES;
import static io.tiercache.frontend.nbd.NbdConstants.EIO;
import static io.tiercache.frontend.nbd.NbdConstants.SIMPLE_REPLY_LENGTH;
import static io.tiercache.frontend.nbd.NbdConstants.SIMPLE_REPLY_MAGIC;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.tiercache.spi.block.BlockIo;
import java.io.IOException;
import java.nio.ByteBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one validated request against the device and builds its reply. Called on an I/O thread,
 * never on an event loop: every {@link BlockIo} call may block (a suspended device queues I/O).
 */
final class CommandRunner {
    private static final Logger log = LoggerFactory.getLogger(CommandRunner.class);

    private CommandRunner() {}

    /** A simple reply header with no payload. */
    static ByteBuf reply(ByteBufAllocator alloc, int error, long cookie) {
        return alloc.buffer(SIMPLE_REPLY_LENGTH).writeInt(SIMPLE_REPLY_MAGIC).writeInt(error).writeLong(cookie);
    }

    /** Runs the request and returns the complete reply; releases the request's payload. */
    static ByteBuf run(ByteBufAllocator alloc, BlockIo io, NbdRequest req) {
        try {
            if (req.type() == CMD_READ) {
                return read(alloc, io, req);
            }
            execute(io, req);
            return reply(alloc, 0, req.cookie());
        } catch (IOException e) {
            log.debug("request {} at {}+{} failed", req.type(), Long.toUnsignedString(req.offset()), req.length(), e);
            return reply(alloc, NbdErrors.of(e), req.cookie());
        } catch (RuntimeException e) {
            // A bug below us, not a device error; the client still gets a protocol error, not the text.
            log.warn("request {} at {}+{} failed unexpectedly", req.type(), Long.toUnsignedString(req.offset()), req.length(), e);
            return reply(alloc, EIO, req.cookie());
        } finally {
            req.release();
        }
    }

    private static void execute(BlockIo io, NbdRequest req) throws IOException {
        int fua = req.has(CMD_FLAG_FUA) ? BlockIo.FUA : 0;
        switch (req.type()) {
            case CMD_WRITE -> io.write(req.payload().nioBuffer(), req.offset(), fua);
            case CMD_FLUSH -> io.flush();
            case CMD_TRIM -> {
                io.discard(req.offset(), req.length());
                if (fua != 0) {
                    io.flush(); // discard has no FUA of its own; make it durable the long way
                }
            }
            case CMD_WRITE_ZEROES -> io.writeZeroes(req.offset(), req.length(), fua);
            default -> throw new IllegalStateException("not a device command: " + req.type());
        }
    }

    /**
     * Reads straight into the reply buffer behind its header, so header and data leave in one
     * write and no copy is made. On failure only the error header is sent (simple replies carry no
     * data with an error).
     */
    private static ByteBuf read(ByteBufAllocator alloc, BlockIo io, NbdRequest req) throws IOException {
        int length = (int) req.length();
        ByteBuf buf = alloc.directBuffer(SIMPLE_REPLY_LENGTH + length);
        boolean done = false;
        try {
            buf.writeInt(SIMPLE_REPLY_MAGIC).writeInt(0).writeLong(req.cookie());
            ByteBuffer dst = buf.nioBuffer(SIMPLE_REPLY_LENGTH, length);
            io.read(dst, req.offset());
            if (dst.hasRemaining()) {
                throw new IOException("short read: " + dst.remaining() + " bytes missing");
            }
            buf.writerIndex(SIMPLE_REPLY_LENGTH + length);
            done = true;
            return buf;
        } finally {
            if (!done) {
                buf.release();
            }
        }
    }
}
