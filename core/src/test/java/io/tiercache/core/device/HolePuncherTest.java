package io.tiercache.core.device;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HolePuncherTest {
    private static final int MIB = 1 << 20;

    @TempDir
    Path dir;

    @Test
    void discardPunchesAHoleThatReadsAsZeroes() throws Exception {
        Path file = dataFile(4 * MIB);
        long before = allocatedBlocks(file);
        try (FileDevice dev = FileDevice.open(file)) {
            dev.discard(MIB, MIB);
            assertThat(read(dev, MIB, MIB)).containsOnly(0);
            assertThat(read(dev, MIB - 512, 512)).doesNotContain(0);
            assertThat(read(dev, 2 * MIB, 512)).doesNotContain(0);
        }
        long after = allocatedBlocks(file);
        // 1 MiB is 2048 blocks of 512 bytes; allow for extent bookkeeping.
        assertThat(after).isLessThan(before - 1024);
        assertThat(Files.size(file)).as("KEEP_SIZE").isEqualTo(4 * MIB);
    }

    @Test
    void writeZeroesReadsAsZeroesAndKeepsNeighbours() throws Exception {
        Path file = dataFile(2 * MIB);
        try (FileDevice dev = FileDevice.open(file)) {
            dev.writeZeroes(4096, MIB + 512, 0);
            assertThat(read(dev, 4096, MIB + 512)).containsOnly(0);
            assertThat(read(dev, 0, 4096)).doesNotContain(0);
            assertThat(read(dev, 4096 + MIB + 512, 4096)).doesNotContain(0);
        }
        assertThat(Files.size(file)).isEqualTo(2 * MIB);
    }

    /** As the NBD frontend calls it: each request on a virtual thread of its own, many at once. */
    @Test
    void zeroRangesFromManyVirtualThreadsAtOnce() throws Exception {
        Path file = dataFile(MIB);
        try (HolePuncher p = HolePuncher.open(file);
                var threads = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            var results = new java.util.ArrayList<java.util.concurrent.Future<Boolean>>();
            for (int i = 0; i < 256; i += 2) {
                long offset = (long) i * 4096;
                results.add(threads.submit(() -> p.zeroRange(offset, 4096)));
            }
            for (var r : results) {
                assertThat(r.get()).isTrue();
            }
        }
        byte[] all = Files.readAllBytes(file);
        for (int i = 0; i < 256; i++) {
            byte[] block = Arrays.copyOfRange(all, i * 4096, (i + 1) * 4096);
            if (i % 2 == 0) {
                assertThat(block).as("block %d zeroed", i).containsOnly(0);
            } else {
                assertThat(block).as("block %d kept", i).doesNotContain(0);
            }
        }
    }

    @Test
    void zeroRangeSucceedsOnARegularFile() throws Exception {
        Path file = dataFile(MIB);
        try (HolePuncher p = HolePuncher.open(file)) {
            assertThat(p.zeroRange(8192, 65536)).isTrue();
            assertThat(p.zeroRange(0, 0)).isTrue();
        }
        byte[] all = Files.readAllBytes(file);
        assertThat(Arrays.copyOfRange(all, 8192, 8192 + 65536)).containsOnly(0);
        assertThat(Arrays.copyOfRange(all, 0, 8192)).doesNotContain(0);
    }

    @Test
    void unsupportedTargetsFallBackWithoutFailing() throws Exception {
        // fallocate on a character device fails (ENODEV): the caller's fallback must be used.
        try (HolePuncher p = HolePuncher.open(Path.of("/dev/null"))) {
            p.punch(0, 4096);
            assertThat(p.zeroRange(0, 4096)).isFalse();
            // Remembered: the second attempt does not even try.
            assertThat(p.zeroRange(0, 4096)).isFalse();
        }
        try (HolePuncher p = HolePuncher.open(dir.resolve("missing"))) {
            p.punch(0, 4096);
            assertThat(p.zeroRange(0, 4096)).isFalse();
        }
    }

    @Test
    void closedPuncherFallsBack() throws Exception {
        Path file = dataFile(MIB);
        HolePuncher p = HolePuncher.open(file);
        p.close();
        p.close();
        p.punch(0, 4096);
        assertThat(p.zeroRange(0, 4096)).isFalse();
        assertThat(Files.readAllBytes(file)).doesNotContain(0);
    }

    /** A file of non-zero bytes, flushed so its blocks are really allocated. */
    private Path dataFile(int size) throws IOException {
        Path file = dir.resolve("data-" + size);
        byte[] chunk = new byte[64 * 1024];
        for (int i = 0; i < chunk.length; i++) {
            chunk[i] = (byte) (1 + i % 253);
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            for (int off = 0; off < size; off += chunk.length) {
                ch.write(ByteBuffer.wrap(chunk), off);
            }
            ch.force(true);
        }
        return file;
    }

    private static byte[] read(FileDevice dev, long offset, int len) throws IOException {
        ByteBuffer dst = ByteBuffer.allocate(len);
        dev.read(dst, offset);
        return dst.array();
    }

    /** 512-byte blocks allocated to the file, as {@code stat -c %b} reports them. */
    private static long allocatedBlocks(Path file) throws Exception {
        Process p = new ProcessBuilder("stat", "-c", "%b", file.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
        assertThat(p.waitFor()).as("stat: %s", out).isZero();
        return Long.parseLong(out);
    }
}
