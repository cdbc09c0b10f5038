package io.tiercache.core.tools;

import io.tiercache.spi.block.BlockIo;
import io.tiercache.spi.block.BlockIoException;
import io.tiercache.spi.block.Errno;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A metadata device or image file for the offline tools: opened read-only unless the tool writes
 * ({@code check} of a read-only file must work), its size fixed at open like a block device's.
 * Block devices report their size through {@link FileChannel#size()} on current JDKs.
 */
public final class ToolDevice implements BlockIo, AutoCloseable {
    private final Path path;
    private final FileChannel channel;
    private final long size;
    private final boolean writable;

    private ToolDevice(Path path, FileChannel channel, long size, boolean writable) {
        this.path = path;
        this.channel = channel;
        this.size = size;
        this.writable = writable;
    }

    /** Opens an existing file or device; never creates one (the tools do not either). */
    public static ToolDevice open(Path path, boolean writable) throws IOException {
        if (!Files.exists(path)) {
            throw new NoSuchFileException(path.toString(), null, "no such file or device");
        }
        FileChannel ch = writable ? FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE)
                : FileChannel.open(path, StandardOpenOption.READ);
        try {
            return new ToolDevice(path, ch, ch.size(), writable);
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    public Path path() {
        return path;
    }

    @Override
    public long size() {
        return size;
    }

    @Override
    public void read(ByteBuffer dst, long offset) throws IOException {
        check(offset, dst.remaining(), Errno.EINVAL);
        while (dst.hasRemaining()) {
            int n = channel.read(dst, offset);
            if (n < 0) {
                throw new BlockIoException(Errno.EIO, path + ": unexpected end of file at " + offset);
            }
            offset += n;
        }
    }

    @Override
    public void write(ByteBuffer src, long offset, int flags) throws IOException {
        if (!writable) {
            throw new BlockIoException(Errno.EROFS, path + " is open read-only");
        }
        check(offset, src.remaining(), Errno.ENOSPC);
        while (src.hasRemaining()) {
            offset += channel.write(src, offset);
        }
        if ((flags & FUA) != 0) {
            channel.force(false);
        }
    }

    @Override
    public void flush() throws IOException {
        if (writable) {
            channel.force(false);
        }
    }

    @Override
    public void discard(long offset, long length) throws IOException {
        writeZeroes(offset, length, 0);
    }

    @Override
    public void writeZeroes(long offset, long length, int flags) throws IOException {
        ByteBuffer zeroes = ByteBuffer.allocate((int) Math.min(length, 1 << 20));
        for (long done = 0; done < length; ) {
            zeroes.clear().limit((int) Math.min(zeroes.capacity(), length - done));
            write(zeroes, offset + done, 0);
            done += zeroes.limit();
        }
        if ((flags & FUA) != 0) {
            flush();
        }
    }

    private void check(long offset, long length, Errno errno) throws BlockIoException {
        if (offset < 0 || length < 0 || offset + length > size) {
            throw new BlockIoException(errno, path + ": " + length + " bytes at " + offset + " lie beyond its end ("
                    + size + " bytes)");
        }
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
