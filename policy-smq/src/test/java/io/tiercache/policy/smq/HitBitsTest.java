package io.tiercache.policy.smq;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.BitSet;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The lazily cleared bitset answers exactly like a plain one cleared in full. */
class HitBitsTest {
    @Test
    void behavesLikeABitSet() {
        int n = 1000;
        HitBits bits = new HitBits(n);
        BitSet ref = new BitSet(n);
        Random rnd = new Random(3);
        for (int step = 0; step < 200_000; step++) {
            int i = rnd.nextInt(n);
            switch (rnd.nextInt(20)) {
                case 0 -> {
                    bits.clearAll();
                    ref.clear();
                }
                case 1, 2, 3 -> {
                    bits.clear(i);
                    ref.clear(i);
                }
                default -> {
                    boolean was = ref.get(i);
                    ref.set(i);
                    assertThat(bits.testAndSet(i)).isEqualTo(was);
                }
            }
        }
    }
}
