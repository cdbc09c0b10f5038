package io.tiercache.core.tools;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.BitSet;

/**
 * Reads a dm-bitset (spec §4.3) into memory: one bit per cache block is 128 KiB per million, so
 * the dirty bits of format 2 can be consulted while the mapping array streams past.
 *
 * @param bits      the bits that could be read
 * @param lost      the bits that could not be read (their words sit in damaged blocks)
 * @param locations the metadata block of each array block of words ({@code -1} if unknown)
 */
record BitsetReader(BitSet bits, BitSet lost, long[] locations) {
    private static final int WORDS_PER_BLOCK = ArrayWalker.capacity(8);

    static BitsetReader read(ArrayWalker arrays, long root, String structure, long nrBits) throws IOException {
        long nrWords = (nrBits + 63) / 64;
        BitSet bits = new BitSet();
        BitSet lost = new BitSet();
        long[] locations = new long[(int) ((nrWords + WORDS_PER_BLOCK - 1) / WORDS_PER_BLOCK)];
        java.util.Arrays.fill(locations, -1);
        arrays.walk(root, structure, 8, nrWords, new ArrayWalker.Blocks() {
            @Override
            public void block(long index, long location, ByteBuffer ab, int valueSize, int nr) {
                locations[(int) index] = location;
                for (int s = 0; s < nr; s++) {
                    long word = ab.getLong(ArrayWalker.HEADER + 8 * s);
                    long base = (index * WORDS_PER_BLOCK + s) * 64;
                    for (long w = word; w != 0; w &= w - 1) {
                        long bit = base + Long.numberOfTrailingZeros(w);
                        if (bit < nrBits) {
                            bits.set((int) bit);
                        }
                    }
                }
            }

            @Override
            public void lost(long from, long to, Problem why) {
                lost.set((int) Math.min(nrBits, from * 64), (int) Math.min(nrBits, to * 64));
            }
        });
        return new BitsetReader(bits, lost, locations);
    }

    /** The metadata block holding bit {@code bit}, or -1. */
    long locationOf(long bit) {
        int i = (int) (bit / 64 / WORDS_PER_BLOCK);
        return i < locations.length ? locations[i] : -1;
    }
}
