package io.tiercache.core.tools;

import io.tiercache.spi.block.BlockIo;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/** A metadata image in memory, so that thousands of damaged copies can be checked quickly. */
public final class MemoryDevice implements BlockIo {
    public final byte[] bytes;

    public MemoryDevice(byte[] bytes) {
        this.bytes = bytes;
    }

    public static MemoryDevice of(Path file) throws IOException {
        return new MemoryDevice(Files.readAllBytes(file));
    }

    public static MemoryDevice ofMiB(int mib) {
        return new MemoryDevice(new byte[mib << 20]);
    }

    public MemoryDevice copy() {
        return new MemoryDevice(bytes.clone());
    }

    /** Flips bit {@code bit} of byte {@code offset} of block {@code block}. */
    public MemoryDevice flip(long block, int offset, int bit) {
        bytes[(int) (block * 4096 + offset)] ^= (byte) (1 << bit);
        return this;
    }

    @Override
    public long size() {
        return bytes.length;
    }

    @Override
    public void read(ByteBuffer dst, long offset) {
        int n = dst.remaining();
        dst.put(bytes, (int) offset, n);
    }

    @Override
    public void write(ByteBuffer src, long offset, int flags) {
        src.get(bytes, (int) offset, src.remaining());
    }

    @Override
    public void flush() {}

    @Override
    public void discard(long offset, long length) {
        writeZeroes(offset, length, 0);
    }

    @Override
    public void writeZeroes(long offset, long length, int flags) {
        Arrays.fill(bytes, (int) offset, (int) (offset + length), (byte) 0);
    }
}
