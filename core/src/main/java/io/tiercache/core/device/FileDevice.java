package io.tiercache.core.device;

import io.tiercache.spi.block.BlockIo;
import io.tiercache.spi.block.BlockIoException;
import io.tiercache.spi.block.Errno;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A file (or block device node) used as a block device: positional I/O through one
 * {@link FileChannel}, which is safe for concurrent positional reads and writes. Its size is
 * fixed when opened: {@code floor(length / 512)} sectors, as dm sees a device.
 */
public final class FileDevice implements BlockIo, AutoCloseable {
    private static final ByteBuffer ZEROES = ByteBuffer.allocateDirect(1 << 20).asReadOnlyBuffer();

    private final Path path;
    private final FileChannel channel;
    private final long size;
    private final HolePuncher puncher;

    private FileDevice(Path path, FileChannel channel, long size, HolePuncher puncher) {
        this.path = path;
        this.channel = channel;
        this.size = size;
        this.puncher = puncher;
    }

    /** Opens {@code path} read-write. */
    public static FileDevice open(Path path) throws IOException {
        FileChannel ch = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE);
        try {
            long bytes = ch.size();
            return new FileDevice(path, ch, bytes / 512 * 512, HolePuncher.open(path));
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    public Path path() {
        return path;
    }

    /** The channel, for zero-copy transfers by a frontend. */
    public FileChannel channel() {
        return channel;
    }

    @Override
    public long size() {
        return size;
    }

    @Override
    public void read(ByteBuffer dst, long offset) throws IOException {
        check(offset, dst.remaining(), Errno.EINVAL);
        long pos = offset;
        while (dst.hasRemaining()) {
            int n = channel.read(dst, pos);
            if (n < 0) {
                // The file shrank under us: what lies beyond reads as zeroes, like a sparse tail.
                while (dst.hasRemaining()) {
                    dst.put((byte) 0);
                }
                return;
            }
            pos += n;
        }
    }

    @Override
    public void write(ByteBuffer src, long offset, int flags) throws IOException {
        check(offset, src.remaining(), Errno.ENOSPC);
        long pos = offset;
        while (src.hasRemaining()) {
            pos += channel.write(src, pos);
        }
        if ((flags & FUA) != 0) {
            channel.force(false);
        }
    }

    @Override
    public void flush() throws IOException {
        channel.force(false);
    }

    @Override
    public void discard(long offset, long length) throws IOException {
        check(offset, length, Errno.EINVAL);
        // Discard is advisory: where the file system cannot punch holes, keeping the data is correct.
        puncher.punch(offset, length);
    }

    @Override
    public void writeZeroes(long offset, long length, int flags) throws IOException {
        check(offset, length, Errno.ENOSPC);
        if (!puncher.zeroRange(offset, length)) {
            long pos = offset;
            long end = offset + length;
            while (pos < end) {
                ByteBuffer z = ZEROES.duplicate();
                z.limit((int) Math.min(z.capacity(), end - pos));
                while (z.hasRemaining()) {
                    pos += channel.write(z, pos);
                }
            }
        }
        if ((flags & FUA) != 0) {
            channel.force(false);
        }
    }

    private void check(long offset, long length, Errno errno) throws BlockIoException {
        if (offset < 0 || length < 0 || offset + length > size || offset + length < offset) {
            throw new BlockIoException(errno, path + ": [" + offset + ", +" + length + ") beyond " + size);
        }
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException ignored) {
            // Nothing is lost: every write was positional and flushes were explicit.
        }
        puncher.close();
    }

    @Override
    public String toString() {
        return path.toString();
    }
}
