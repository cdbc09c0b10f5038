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

import io.netty.buffer.ByteBuf;
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
     * The buffer a READ's reply goes into, taken on the event loop: there the allocator works from
     * the loop's own cache, while on an I/O thread it would first build Netty's thread-local state.
     * Null for other commands.
     */
    ByteBuf replyBuffer(ByteBufAllocator alloc, NbdRequest req) {
        return req.type() == CMD_READ ? reads.replyBuffer(alloc, req) : null;
    }

    /**
     * Runs the request and returns its outcome: a complete reply ({@code ByteBuf} or
     * {@link RegionReply}), or an {@code Integer} errno (0: success) whose reply
     * {@link #reply} builds on the event loop. Releases the request's payload; a READ's
     * {@code buf} (from {@link #replyBuffer}) becomes the reply or is released.
     */
    Object run(ByteBufAllocator alloc, NbdRequest req, ByteBuf buf) {
        try {
            return switch (req.type()) {
                case CMD_READ -> reads.run(req, buf);
                case CMD_BLOCK_STATUS -> blockStatus.run(alloc, req);
                default -> {
                    execute(req);
                    yield 0;
                }
            };
        } catch (IOException e) {
            log.debug("request {} at {}+{} failed", req.type(), Long.toUnsignedString(req.offset()), req.length(), e);
            return NbdErrors.of(e);
        } catch (RuntimeException e) {
            // A bug below us, not a device error; the client still gets a protocol error, not the text.
            log.warn("request {} at {}+{} failed unexpectedly", req.type(), Long.toUnsignedString(req.offset()), req.length(), e);
            return EIO;
        } finally {
            req.release();
        }
    }

    /** The reply to an outcome of {@link #run}: built here for an errno, on the event loop. */
    Object reply(ByteBufAllocator alloc, NbdRequest req, Object outcome) {
        if (outcome instanceof Integer error) {
            return error == 0 ? Replies.simple(alloc, 0, req.cookie()) : Replies.error(alloc, structured, req, error);
        }
        return outcome;
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
