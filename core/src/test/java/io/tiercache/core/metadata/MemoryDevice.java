package io.tiercache.core.metadata;

import io.tiercache.spi.block.BlockIo;
import io.tiercache.spi.block.BlockIoException;
import io.tiercache.spi.block.Errno;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** A RAM-backed metadata device for tests: counts every access and logs where it wrote. */
public final class MemoryDevice implements BlockIo {
    private final byte[] bytes;
    public int reads;
    public int writes;
    public int flushes;
    /** Byte offset of every write, in order. */
    public final List<Long> writeLog = new ArrayList<>();

    public MemoryDevice(long size) {
        this(new byte[Math.toIntExact(size)]);
    }

    public MemoryDevice(byte[] bytes) {
        this.bytes = bytes;
    }

    public static MemoryDevice ofMiB(int mib) {
        return new MemoryDevice((long) mib << 20);
    }

    public static MemoryDevice load(Path image) throws IOException {
        return new MemoryDevice(Files.readAllBytes(image));
    }

    /** A copy of the medium (counters start at zero). */
    public MemoryDevice copy() {
        return new MemoryDevice(bytes.clone());
    }

    public byte[] bytes() {
        return bytes;
    }

    /** Writes the medium to a file, for the tools. */
    public Path save(Path file) throws IOException {
        Files.write(file, bytes);
        return file;
    }

    /** A little-endian view of block {@code b} as on the medium now. */
    public ByteBuffer block(long b) {
        return ByteBuffer.wrap(bytes, Math.toIntExact(b * 4096), 4096).slice().order(ByteOrder.LITTLE_ENDIAN);
    }

    public int accesses() {
        return reads + writes + flushes;
    }

    @Override
    public long size() {
        return bytes.length;
    }

    @Override
    public void read(ByteBuffer dst, long offset) throws IOException {
        check(offset, dst.remaining());
        reads++;
        dst.put(bytes, (int) offset, dst.remaining());
    }

    @Override
    public void write(ByteBuffer src, long offset, int flags) throws IOException {
        check(offset, src.remaining());
        writes++;
        writeLog.add(offset);
        src.get(bytes, (int) offset, src.remaining());
    }

    @Override
    public void flush() {
        flushes++;
    }

    @Override
    public void discard(long offset, long length) {}

    @Override
    public void writeZeroes(long offset, long length, int flags) throws IOException {
        check(offset, length);
        writes++;
        writeLog.add(offset);
        Arrays.fill(bytes, (int) offset, (int) (offset + length), (byte) 0);
    }

    private void check(long offset, long length) throws BlockIoException {
        if (offset < 0 || offset + length > bytes.length) {
            throw new BlockIoException(Errno.EINVAL, "[" + offset + ", +" + length + ") beyond " + bytes.length);
        }
    }
}
