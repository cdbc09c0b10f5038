package io.tiercache.bench;

import io.tiercache.core.policy.PolicyRegistry;
import io.tiercache.core.policy.PolicyType;
import io.tiercache.core.sim.SimOptions;
import io.tiercache.core.sim.SimResult;
import io.tiercache.core.sim.Simulator;
import io.tiercache.core.sim.Trace;
import io.tiercache.policy.adaptive.AdaptivePolicyFactory;
import io.tiercache.policy.smq.SmqPolicyFactory;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Replay speed: accesses per second through the whole simulator (contract checker, migrations,
 * ticks) for a policy with a million cache blocks, 2 million accesses per invocation over an
 * origin of 16 million blocks. Results are per access ({@code ops/s} = accesses/s).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2)
@Measurement(iterations = 5)
@Fork(value = 1, jvmArgsAppend = {"-Xmx4g"})
public class ReplayBenchmark {
    private static final int ACCESSES = 2_000_000;
    private static final long ORIGIN = 16_000_000;

    @Param({"smq", "adaptive", "lru"})
    public String policy;

    @Param({"1000000"})
    public long cacheBlocks;

    private PolicyType type;
    private Trace trace;

    @Setup
    public void setUp() throws Exception {
        type = new PolicyRegistry(Map.of("smq", new SmqPolicyFactory(), "adaptive", new AdaptivePolicyFactory()))
                .require(policy);
        trace = Trace.of("power-law", Workload.records(ACCESSES, ORIGIN, 42));
    }

    @Benchmark
    @OperationsPerInvocation(ACCESSES)
    public SimResult replay() throws Exception {
        return Simulator.run(type, List.of(), trace, SimOptions.of(cacheBlocks, ORIGIN));
    }
}
