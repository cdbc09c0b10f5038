package io.tiercache.bench;

import io.tiercache.core.sim.SimClock;
import io.tiercache.core.sim.Trace;
import io.tiercache.policy.smq.SmqPolicy;
import io.tiercache.spi.policy.Direction;
import io.tiercache.spi.policy.Lookup;
import io.tiercache.spi.policy.PolicyGeometry;
import io.tiercache.spi.policy.PolicyWork;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The bare policy: one smq lookup (and, when it queues work, the completions) on a warm cache of a
 * million blocks, without the contract checker. Results are per lookup.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2)
@Measurement(iterations = 5)
@Fork(value = 1, jvmArgsAppend = {"-Xmx4g"})
public class LookupBenchmark {
    private static final long ORIGIN = 16_000_000;
    private final SimClock clock = new SimClock();
    private SmqPolicy smq;
    private long[] records;
    private int next;
    private long accesses;

    @Setup
    public void setUp() {
        smq = new SmqPolicy(PolicyGeometry.ofBlocks(1_000_000, ORIGIN, 128), clock, SmqPolicy.Variant.SMQ);
        records = Workload.records(1 << 22, ORIGIN, 7);
        for (int i = 0; i < records.length; i++) {
            access();
        }
    }

    @Benchmark
    public long lookup() {
        return access();
    }

    private long access() {
        long rec = records[next];
        next = (next + 1) & (records.length - 1);
        clock.set(++accesses * 1_000_000L);
        smq.tick(true);
        long oblock = rec >>> 1;
        long r = smq.lookup(oblock, (rec & 1) != 0 ? Direction.WRITE : Direction.READ, false);
        if (Lookup.workQueued(r)) {
            for (Optional<PolicyWork> w = smq.backgroundWork(false); w.isPresent(); w = smq.backgroundWork(false)) {
                long c = w.get().cblock().value();
                if (w.get().op() == PolicyWork.Op.PROMOTE) {
                    smq.completeBackgroundWork(w.get(), true);
                    smq.clearDirty(c);
                } else {
                    smq.clearDirty(c);
                    smq.completeBackgroundWork(w.get(), true);
                }
            }
        }
        return r;
    }
}
