package io.tiercache.frontend.nbd;

import io.netty.buffer.ByteBuf;
import io.tiercache.spi.frontend.ReadRegions;

/**
 * A read reply whose data goes out by {@code sendfile}: the header (simple reply, or a data
 * chunk's header and offset), then the export's file spans. {@code regions} holds the export until
 * the last byte has been written, and must be closed then, or when the reply is dropped.
 */
record RegionReply(ByteBuf head, ReadRegions regions) {
    void release() {
        head.release();
        regions.close();
    }
}
