package io.tiercache.spi.frontend;

import io.tiercache.spi.block.BlockIo;

/**
 * An open device. I/O to it waits while the device is suspended, as device-mapper queues I/O, and
 * resumes against whatever table is live then. Close it when the client goes away.
 */
public interface Export extends BlockIo, AutoCloseable {
    String name();

    boolean readOnly();

    @Override
    void close();
}
