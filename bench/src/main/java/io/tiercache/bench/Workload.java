package io.tiercache.bench;

import io.tiercache.core.sim.Trace;
import java.util.SplittableRandom;

/**
 * A synthetic skewed workload for benchmarks: block = origin × u³ for uniform u (a power law: the
 * lowest blocks are the hottest), 20 % writes, fixed seed.
 */
final class Workload {
    private Workload() {}

    static long[] records(int accesses, long originBlocks, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        long[] out = new long[accesses];
        for (int i = 0; i < accesses; i++) {
            double u = rnd.nextDouble();
            long block = (long) (originBlocks * u * u * u);
            out[i] = rnd.nextInt(5) == 0 ? Trace.write(block) : Trace.read(block);
        }
        return out;
    }
}
