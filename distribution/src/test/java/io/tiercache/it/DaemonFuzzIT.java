package io.tiercache.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.SocketException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Mutated NBD traffic against the packaged daemon itself (frontend-nbd's NbdFuzzTest does the same
 * in process, with finer mutations): 2,500 connections, each a handshake that selects a device and
 * 40 requests (102,500 inputs), with bytes flipped, cut short or garbage spliced in. Afterwards
 * the daemon must still be running and serve a well-behaved client correctly, and its log must show
 * no leaked buffer.
 */
class DaemonFuzzIT {
    static final long NBDMAGIC = 0x4e42444d41474943L;
    static final long IHAVEOPT = 0x49484156454F5054L;
    static final int REQUEST_MAGIC = 0x25609513;
    static final int CONNECTIONS = 2500;
    static final int REQUESTS_PER_CONNECTION = 40;

    @TempDir
    Path dir;

    @Test
    void mutatedHandshakesAndRequestsLeaveTheDaemonServing() throws Exception {
        Path image = dir.resolve("lin.img");
        byte[] data = new byte[4 << 20];
        new Random(11).nextBytes(data);
        Files.write(image, data);
        try (DaemonProcess daemon = new DaemonProcess(dir).start(false)) {
            daemon.cli("create", "lin", "--table", "0 8192 linear " + image + " 0").ok();
            Random random = new Random(20261130);
            long inputs = 0;
            for (int c = 0; c < CONNECTIONS; c++) {
                inputs += 1 + REQUESTS_PER_CONNECTION;
                exchange(daemon.port, mutate(random, conversation(random)));
            }
            assertThat(inputs).isGreaterThanOrEqualTo(100_000);

            // A fuzz client moves on as soon as the daemon closes or goes quiet, and the daemon still
            // finishes what such a client sent before DISC (or had already started): on a busy
            // machine a hundred connections' worth of FLUSHes and writes can be running after the
            // loop. Each holds the device open until its I/O is done, so an open count of zero
            // means none is left to land on the data checked below.
            awaitClosed(daemon, "lin");
            daemon.cli("suspend", "lin").ok();
            daemon.cli("resume", "lin").ok();
            String uri = daemon.uri("lin");
            assertThat(Proc.run(dir, List.of("nbdinfo", "--size", uri)).ok().out().strip()).isEqualTo("4194304");
            Proc.run(dir, List.of("qemu-io", "-f", "raw", uri, "-c", "write -P 0x3c 1M 256k", "-c",
                    "read -P 0x3c 1M 256k")).ok();
            assertThat(daemon.log()).doesNotContain("LEAK:").doesNotContain("OutOfMemoryError");
        }
    }

    /**
     * Until the device's open count reads 0 twice running, a second apart: a connection whose
     * client has gone may still be reading its buffered handshake and open the device late.
     */
    private static void awaitClosed(DaemonProcess daemon, String device) throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        int zeroes = 0;
        while (zeroes < 2) {
            String info = daemon.cli("info", device).ok().out();
            zeroes = info.contains("Open count:        0\n") ? zeroes + 1 : 0;
            assertThat(System.nanoTime()).as("fuzz connections still open:\n" + info).isLessThan(end);
            Thread.sleep(1000);
        }
    }

    /** A valid client side: flags, OPT_GO for "lin", then a mix of requests (WRITEs with payload). */
    private static byte[] conversation(Random random) {
        ByteBuffer b = ByteBuffer.allocate(1 << 20);
        b.putInt(3); // FIXED_NEWSTYLE | NO_ZEROES
        byte[] name = "lin".getBytes();
        b.putLong(IHAVEOPT).putInt(7).putInt(4 + name.length + 2).putInt(name.length).put(name).putShort((short) 0);
        for (int i = 0; i < REQUESTS_PER_CONNECTION; i++) {
            int type = random.nextInt(8); // READ, WRITE, DISC, FLUSH, TRIM, CACHE, WRITE_ZEROES, BLOCK_STATUS
            if (type == 2 && i < REQUESTS_PER_CONNECTION - 1) {
                type = 0;
            }
            int length = 512 * (1 + random.nextInt(64));
            long offset = 512L * random.nextInt(8192 + 64); // sometimes past the end
            b.putInt(REQUEST_MAGIC).putShort((short) (random.nextInt(16) == 0 ? random.nextInt(64) : 0))
                    .putShort((short) type).putLong(i).putLong(offset).putInt(type == 2 ? 0 : length);
            if (type == 1) {
                b.put(new byte[length]);
            }
        }
        return Arrays.copyOf(b.array(), b.position());
    }

    /** Flips bytes, cuts the stream short or splices garbage in; one conversation in eight is left valid. */
    private static byte[] mutate(Random random, byte[] bytes) {
        switch (random.nextInt(8)) {
            case 0 -> {
                return bytes;
            }
            case 1 -> {
                return Arrays.copyOf(bytes, random.nextInt(bytes.length));
            }
            case 2 -> {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                int at = random.nextInt(bytes.length);
                out.write(bytes, 0, at);
                byte[] junk = new byte[1 + random.nextInt(64)];
                random.nextBytes(junk);
                out.writeBytes(junk);
                out.write(bytes, at, bytes.length - at);
                return out.toByteArray();
            }
            default -> {
                byte[] copy = bytes.clone();
                for (int i = 1 + random.nextInt(4); i > 0; i--) {
                    // Early bytes are the handshake and request headers, where flips matter most.
                    int at = random.nextInt(Math.min(copy.length, random.nextBoolean() ? 64 : copy.length));
                    copy[at] ^= (byte) (1 << random.nextInt(8));
                }
                return copy;
            }
        }
    }

    /** Sends everything, half-closes, and drains what the daemon answers until it closes or goes quiet. */
    private static void exchange(int port, byte[] bytes) throws IOException {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            // The greeting may wait behind earlier connections' I/O on a busy machine; the answers
            // to garbage are drained with a short timeout, since silence is a fine answer too.
            s.setSoTimeout(30_000);
            InputStream in = s.getInputStream();
            byte[] greeting = in.readNBytes(18);
            assertThat(ByteBuffer.wrap(greeting).getLong()).as("the daemon still greets").isEqualTo(NBDMAGIC);
            s.setSoTimeout(1000);
            OutputStream out = s.getOutputStream();
            try {
                out.write(bytes);
                s.shutdownOutput();
            } catch (IOException e) {
                return; // the daemon closed first, as it may on garbage
            }
            byte[] sink = new byte[1 << 16];
            try {
                while (in.read(sink) >= 0) {
                    // drain
                }
            } catch (SocketTimeoutException | SocketException e) {
                // quiet or reset: both are fine answers to garbage
            }
        }
    }
}
