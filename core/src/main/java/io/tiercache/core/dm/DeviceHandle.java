package io.tiercache.core.dm;

import io.tiercache.spi.block.BlockIo;
import io.tiercache.spi.frontend.Export;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * An open reference to a mapped device, used both by tables that stack on it and by frontends.
 * Its I/O goes through the device's suspend gate to whatever table is live.
 */
public final class DeviceHandle implements Export, DeviceResolver.Opened {
    private final MappedDevice device;
    private final AtomicBoolean closed = new AtomicBoolean();

    DeviceHandle(MappedDevice device) {
        this.device = device;
    }

    @Override
    public String name() {
        return device.name();
    }

    @Override
    public boolean readOnly() {
        return false;
    }

    @Override
    public BlockIo io() {
        return this;
    }

    @Override
    public long size() {
        Table t = device.live();
        return t == null ? 0 : t.sizeBytes();
    }

    @Override
    public void read(ByteBuffer dst, long offset) throws IOException {
        device.submit(Bio.read(dst, offset));
        dst.position(dst.limit());
    }

    @Override
    public void write(ByteBuffer src, long offset, int flags) throws IOException {
        device.submit(Bio.write(src, offset, flags));
        src.position(src.limit());
    }

    @Override
    public void flush() throws IOException {
        device.submit(Bio.flush());
    }

    @Override
    public void discard(long offset, long length) throws IOException {
        device.submit(new Bio(Bio.Op.DISCARD, offset, length, null, 0));
    }

    @Override
    public void writeZeroes(long offset, long length, int flags) throws IOException {
        device.submit(new Bio(Bio.Op.WRITE_ZEROES, offset, length, null, flags));
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            device.close();
        }
    }
}
