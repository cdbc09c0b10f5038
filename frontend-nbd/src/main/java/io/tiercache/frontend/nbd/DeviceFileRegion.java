package io.tiercache.frontend.nbd;

import io.netty.channel.DefaultFileRegion;
import io.tiercache.spi.frontend.FileSpan;

/**
 * A span of a device's file sent with {@code sendfile}. Stays a {@link DefaultFileRegion}, the
 * type the epoll and NIO transports send natively, but releasing it must not close the channel as
 * {@code DefaultFileRegion} does: the file is the device's, shared by every request.
 */
final class DeviceFileRegion extends DefaultFileRegion {
    DeviceFileRegion(FileSpan span) {
        super(span.channel(), span.position(), span.length());
    }

    @Override
    protected void deallocate() {
        // The device closes its own file; the export's hold (ReadRegions) keeps it open meanwhile.
    }
}
