package io.tiercache.core.sim;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;

/**
 * A block trace in memory: one {@code long} per access, {@code block << 1 | write}. The text format
 * is one {@code R <block>} or {@code W <block>} per line (0-based block numbers), gzip-compressed or
 * not; blank lines and lines starting with {@code #} are skipped. 8 bytes per access, so 100 million
 * accesses take 800 MB.
 */
public final class Trace {
    private final String name;
    private final long[] records;
    private final int size;
    private final long maxBlock;

    private Trace(String name, long[] records, int size, long maxBlock) {
        this.name = name;
        this.records = records;
        this.size = size;
        this.maxBlock = maxBlock;
    }

    /** A trace built in code ({@code block << 1 | write} per access). */
    public static Trace of(String name, long... records) {
        long max = -1;
        for (long r : records) {
            if (r < 0) {
                throw new IllegalArgumentException("negative record " + r);
            }
            max = Math.max(max, r >>> 1);
        }
        return new Trace(name, records.clone(), records.length, max);
    }

    public static long read(long block) {
        return block << 1;
    }

    public static long write(long block) {
        return block << 1 | 1;
    }

    /** Reads a trace file; gzip is recognised by its magic bytes, not the file name. */
    public static Trace load(Path file) throws IOException {
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            raw.mark(2);
            int b0 = raw.read();
            int b1 = raw.read();
            raw.reset();
            InputStream in = b0 == 0x1f && b1 == 0x8b ? new BufferedInputStream(new GZIPInputStream(raw, 1 << 16), 1 << 16)
                    : raw;
            return parse(displayName(file), in);
        }
    }

    private static String displayName(Path file) {
        String n = file.getFileName().toString();
        for (String suffix : new String[] {".gz", ".trace"}) {
            if (n.endsWith(suffix)) {
                n = n.substring(0, n.length() - suffix.length());
            }
        }
        return n;
    }

    /** Parses the text format byte by byte: faster than splitting lines, and it names bad lines. */
    static Trace parse(String name, InputStream in) throws IOException {
        long[] out = new long[1 << 16];
        int n = 0;
        long max = -1;
        long line = 0;
        int c = in.read();
        while (c != -1) {
            line++;
            while (c == ' ' || c == '\t' || c == '\r') {
                c = in.read();
            }
            if (c == '\n' || c == -1 || c == '#') {
                while (c != '\n' && c != -1) {
                    c = in.read();
                }
                c = in.read();
                continue;
            }
            long write;
            if (c == 'R' || c == 'r') {
                write = 0;
            } else if (c == 'W' || c == 'w') {
                write = 1;
            } else {
                throw bad(name, line, "expected R or W, found '" + (char) c + "'");
            }
            c = in.read();
            if (c != ' ' && c != '\t') {
                throw bad(name, line, "expected a space after the direction");
            }
            while (c == ' ' || c == '\t') {
                c = in.read();
            }
            long block = 0;
            int digits = 0;
            while (c >= '0' && c <= '9') {
                block = Math.multiplyExact(block, 10) + (c - '0');
                digits++;
                c = in.read();
            }
            if (digits == 0 || block > Long.MAX_VALUE >>> 1) {
                throw bad(name, line, "expected a block number");
            }
            while (c == ' ' || c == '\t' || c == '\r') {
                c = in.read();
            }
            if (c != '\n' && c != -1) {
                throw bad(name, line, "unexpected '" + (char) c + "' after the block number");
            }
            if (n == out.length) {
                out = Arrays.copyOf(out, out.length * 2);
            }
            out[n++] = block << 1 | write;
            max = Math.max(max, block);
            c = in.read();
        }
        return new Trace(name, out, n, max);
    }

    private static IOException bad(String name, long line, String what) {
        return new IOException(name + " line " + line + ": " + what);
    }

    public String name() {
        return name;
    }

    public int size() {
        return size;
    }

    /** The largest block number, or -1 for an empty trace. */
    public long maxBlock() {
        return maxBlock;
    }

    /** The packed record of access {@code i}. */
    public long record(int i) {
        return records[i];
    }

    public long block(int i) {
        return records[i] >>> 1;
    }

    public boolean isWrite(int i) {
        return (records[i] & 1) != 0;
    }

    /** Distinct blocks (a pass over a copy; for reports and cache sizing). */
    public int distinctBlocks() {
        long[] blocks = new long[size];
        for (int i = 0; i < size; i++) {
            blocks[i] = records[i] >>> 1;
        }
        Arrays.sort(blocks);
        int d = 0;
        for (int i = 0; i < size; i++) {
            if (i == 0 || blocks[i] != blocks[i - 1]) {
                d++;
            }
        }
        return d;
    }
}
