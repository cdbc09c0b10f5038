package io.tiercache.core.dm;

import io.tiercache.spi.block.BlockIo;

/** Turns a device argument of a table line into an open device. */
public interface DeviceResolver {
    /** An open device; closing it drops the reference (dm_put_device). */
    interface Opened extends AutoCloseable {
        BlockIo io();

        @Override
        void close();
    }

    /**
     * Opens {@code arg}: a name without {@code /} is another tiercache device, anything else a path
     * to a file or block device.
     */
    Opened open(String arg) throws DmException;
}
