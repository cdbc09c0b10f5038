package io.tiercache.frontend.nbd;

import static io.tiercache.frontend.nbd.NbdConstants.CMD_BLOCK_STATUS;
import static io.tiercache.frontend.nbd.NbdConstants.CMD_CACHE;
import static io.tiercache.frontend.nbd.NbdConstants.CMD_FLAG_FUA;
import static io.tiercache.frontend.nbd.NbdConstants.CMD_FLUSH;
import static io.tiercache.frontend.nbd.NbdConstants.CMD_READ;
import static io.tiercache.frontend.nbd.NbdConstants.CMD_TRIM;
import static io.tiercache.frontend.nbd.NbdConstants.CMD_WRITE;
import static io.tiercache.frontend.nbd.NbdConstants.CMD_WRITE_ZEROES;
import static io.tiercache.frontend.nbd.NbdConstants.EIO;

import io.netty.buffer.ByteBufAllocator;
import io.tiercache.spi.block.BlockIo;
import io.tiercache.spi.frontend.Export;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs validated requests of one connection against its export and builds their replies. Called
 * on I/O threads, never on an event loop: every export call may block (a suspended device queues
 * I/O). Holds no per-request state, so any number of requests may run through it at once.
 */
final class CommandRunner {
    private static final Logger log = LoggerFactory.getLogger(CommandRunner.class);

    private final Export export;
    private final boolean structured;
    private final ReadCommand reads;
    private final BlockStatusCommand blockStatus;

    CommandRunner(Export export, Negotiated negotiated, int zeroCopyMin) {
        this.export = export;
        this.structured = negotiated.structured();
        this.reads = new ReadCommand(export, negotiated, zeroCopyMin);
        this.blockStatus = new BlockStatusCommand(export, negotiated);
    }

    boolean structured() {
        return structured;
    }

    /**
     * Runs the request and returns the complete reply, a {@code ByteBuf} or a {@link RegionReply};
     * releases the request's payload.
     */
    Object run(ByteBufAllocator alloc, NbdRequest req) {
        try {
            return switch (req.type()) {
                case CMD_READ -> reads.run(alloc, req);
                case CMD_BLOCK_STATUS -> blockStatus.run(alloc, req);
                default -> {
                    execute(req);
                    yield Replies.simple(alloc, 0, req.cookie());
                }
            };
        } catch (IOException e) {
            log.debug("request {} at {}+{} failed", req.type(), Long.toUnsignedString(req.offset()), req.length(), e);
            return Replies.error(alloc, structured, req, NbdErrors.of(e));
        } catch (RuntimeException e) {
            // A bug below us, not a device error; the client still gets a protocol error, not the text.
            log.warn("request {} at {}+{} failed unexpectedly", req.type(), Long.toUnsignedString(req.offset()), req.length(), e);
            return Replies.error(alloc, structured, req, EIO);
        } finally {
            req.release();
        }
    }

    private void execute(NbdRequest req) throws IOException {
        int fua = req.has(CMD_FLAG_FUA) ? BlockIo.FUA : 0;
        switch (req.type()) {
            case CMD_WRITE -> export.write(req.payload().nioBuffer(), req.offset(), fua);
            case CMD_FLUSH -> export.flush();
            case CMD_TRIM -> {
                export.discard(req.offset(), req.length());
                if (fua != 0) {
                    export.flush(); // discard has no FUA of its own; make it durable the long way
                }
            }
            case CMD_WRITE_ZEROES -> export.writeZeroes(req.offset(), req.length(), fua);
            case CMD_CACHE -> export.prefetch(req.offset(), req.length());
            default -> throw new IllegalStateException("not a device command: " + req.type());
        }
    }
}
