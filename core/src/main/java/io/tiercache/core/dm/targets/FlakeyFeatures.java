package io.tiercache.core.dm.targets;

import io.tiercache.core.dm.TargetException;
import java.util.List;

/**
 * The optional feature group of a {@code flakey} line: what the target does to I/O while down.
 *
 * @param errorReads reads fail with EIO
 * @param dropWrites writes (and flushes, discards) complete without reaching the device
 * @param errorWrites writes (and flushes, discards) fail with EIO
 * @param corruptByte 1-based index of the byte {@code corrupt_bio_byte} overwrites; 0 when unset
 * @param corruptWrites whether {@code corrupt_bio_byte} applies to writes ({@code w}) or reads
 * @param corruptValue the value written into that byte
 * @param corruptFlags only requests whose kernel {@code bi_opf} has all these bits are corrupted
 * @param randomReadCorrupt chance, in {@link #PROBABILITY_BASE}ths, that a read gets a random byte
 * @param randomWriteCorrupt the same for writes
 */
record FlakeyFeatures(boolean errorReads, boolean dropWrites, boolean errorWrites, long corruptByte,
        boolean corruptWrites, byte corruptValue, long corruptFlags, int randomReadCorrupt,
        int randomWriteCorrupt) {

    /** The denominator of the random corruption probabilities. */
    static final int PROBABILITY_BASE = 1_000_000_000;

    /** No feature given: everything fails while down. */
    static final FlakeyFeatures ALL_IO =
            new FlakeyFeatures(true, false, true, 0, false, (byte) 0, 0, 0, 0);

    private static final long UINT_MAX = 0xFFFF_FFFFL;
    private static final int MAX_FEATURE_ARGS = 11;

    boolean corruptsReads() {
        return corruptByte != 0 && !corruptWrites;
    }

    boolean corruptsWrites() {
        return corruptByte != 0 && corruptWrites;
    }

    /**
     * Parses {@code [<num_features> [<feature arguments>]]} starting at {@code args[from]}. Words
     * after the counted group are ignored, as the kernel ignores them.
     */
    static FlakeyFeatures parse(List<String> args, int from) throws TargetException {
        if (from >= args.size()) {
            return ALL_IO;
        }
        long count = Args.unsigned(args.get(from), MAX_FEATURE_ARGS, "Invalid number of feature args");
        if (count > args.size() - from - 1) {
            throw new TargetException("Invalid number of feature args");
        }
        Parser p = new Parser(args.subList(from + 1, from + 1 + (int) count));
        while (p.hasNext()) {
            p.feature(p.next());
        }
        return p.build();
    }

    /** Mutable state while the group is read; one per ctr call. */
    private static final class Parser {
        private final List<String> words;
        private int pos;
        private boolean errorReads;
        private boolean dropWrites;
        private boolean errorWrites;
        private long corruptByte;
        private boolean corruptWrites;
        private long corruptValue;
        private long corruptFlags;
        private long randomRead;
        private long randomWrite;

        Parser(List<String> words) {
            this.words = words;
        }

        boolean hasNext() {
            return pos < words.size();
        }

        String next() {
            return words.get(pos++);
        }

        int left() {
            return words.size() - pos;
        }

        void feature(String name) throws TargetException {
            if (is(name, "error_reads")) {
                if (errorReads) {
                    throw new TargetException("Feature error_reads duplicated");
                }
                errorReads = true;
            } else if (is(name, "drop_writes")) {
                if (dropWrites) {
                    throw new TargetException("Feature drop_writes duplicated");
                } else if (errorWrites) {
                    throw new TargetException("Feature drop_writes conflicts with feature error_writes");
                }
                dropWrites = true;
            } else if (is(name, "error_writes")) {
                if (errorWrites) {
                    throw new TargetException("Feature error_writes duplicated");
                } else if (dropWrites) {
                    throw new TargetException("Feature error_writes conflicts with feature drop_writes");
                }
                errorWrites = true;
            } else if (is(name, "corrupt_bio_byte")) {
                corruptBioByte();
            } else if (is(name, "random_read_corrupt")) {
                randomRead = probability("random_read_corrupt", randomRead);
            } else if (is(name, "random_write_corrupt")) {
                randomWrite = probability("random_write_corrupt", randomWrite);
            } else {
                throw new TargetException("Unrecognised flakey feature requested");
            }
        }

        /** {@code corrupt_bio_byte <Nth_byte> <direction> <value> <flags>}. */
        private void corruptBioByte() throws TargetException {
            if (corruptByte != 0) {
                throw new TargetException("Feature corrupt_bio_byte duplicated");
            } else if (left() < 4) {
                throw new TargetException("Feature corrupt_bio_byte requires 4 parameters");
            }
            long nth = Args.unsigned(next(), UINT_MAX, "Invalid corrupt bio byte");
            if (nth < 1) {
                throw new TargetException("Invalid corrupt bio byte");
            }
            corruptByte = nth;
            String direction = next();
            if (is(direction, "w")) {
                corruptWrites = true;
            } else if (is(direction, "r")) {
                corruptWrites = false;
            } else {
                throw new TargetException("Invalid corrupt bio direction (r or w)");
            }
            corruptValue = Args.unsigned(next(), 255, "Invalid corrupt value to write into bio byte (0-255)");
            corruptFlags = Args.unsigned(next(), UINT_MAX, "Invalid corrupt bio flags mask");
        }

        /** A random corruption feature's single argument; a value of 0 leaves it unset. */
        private long probability(String feature, long current) throws TargetException {
            if (current != 0) {
                throw new TargetException("Feature " + feature + " duplicated");
            } else if (left() < 1) {
                throw new TargetException("Feature " + feature + " requires a parameter");
            }
            return Args.unsigned(next(), PROBABILITY_BASE, "Invalid random corrupt argument");
        }

        FlakeyFeatures build() throws TargetException {
            boolean writeCorruption = (corruptByte != 0 && corruptWrites) || randomWrite != 0;
            boolean readCorruption = (corruptByte != 0 && !corruptWrites) || randomRead != 0;
            // A write that is dropped or failed cannot also be corrupted, nor can a failed read.
            if (dropWrites && writeCorruption) {
                throw new TargetException("drop_writes is incompatible with random_write_corrupt"
                        + " or corrupt_bio_byte with the WRITE flag set");
            } else if (errorWrites && writeCorruption) {
                throw new TargetException("error_writes is incompatible with random_write_corrupt"
                        + " or corrupt_bio_byte with the WRITE flag set");
            } else if (errorReads && readCorruption) {
                throw new TargetException("error_reads is incompatible with random_read_corrupt"
                        + " or corrupt_bio_byte with the READ flag set");
            }
            if (!errorReads && !dropWrites && !errorWrites && corruptByte == 0 && randomRead == 0
                    && randomWrite == 0) {
                return ALL_IO;
            }
            return new FlakeyFeatures(errorReads, dropWrites, errorWrites, corruptByte, corruptWrites,
                    (byte) corruptValue, corruptFlags, (int) randomRead, (int) randomWrite);
        }
    }

    /** Case-insensitive ASCII match, as the kernel's {@code strcasecmp}. */
    private static boolean is(String word, String keyword) {
        if (word.length() != keyword.length()) {
            return false;
        }
        for (int i = 0; i < word.length(); i++) {
            char c = word.charAt(i);
            if (c >= 'A' && c <= 'Z') {
                c = (char) (c + ('a' - 'A'));
            }
            if (c != keyword.charAt(i)) {
                return false;
            }
        }
        return true;
    }
}
