package io.tiercache.bench;

import io.tiercache.core.policy.PolicyRegistry;
import io.tiercache.core.sim.SimClock;
import io.tiercache.spi.policy.CachePolicy;
import io.tiercache.spi.policy.PolicyGeometry;
import io.tiercache.policy.adaptive.AdaptivePolicyFactory;
import io.tiercache.policy.smq.SmqPolicyFactory;
import java.util.Map;
import org.openjdk.jol.info.GraphLayout;

/**
 * Memory per cache block of each policy at a million cache blocks (origin 16 million), measured by
 * walking the object graph with JOL, next to what the policy reports itself.
 */
public final class MemoryPerBlock {
    private MemoryPerBlock() {}

    public static void main(String[] args) throws Exception {
        long blocks = args.length > 0 ? Long.parseLong(args[0]) : 1_000_000;
        PolicyGeometry g = PolicyGeometry.ofBlocks(blocks, 16_000_000, 128);
        PolicyRegistry registry = new PolicyRegistry(Map.of("smq", new SmqPolicyFactory(), "adaptive",
                new AdaptivePolicyFactory()));
        for (String name : new String[] {"smq", "adaptive", "lru"}) {
            CachePolicy raw = registry.require(name).factory().create(g, new SimClock());
            long measured = GraphLayout.parseInstance(raw).totalSize();
            System.out.printf("%-8s %,d cache blocks: %,d bytes measured (%.2f per block), %,d reported (%.2f)%n",
                    name, blocks, measured, (double) measured / blocks, raw.memoryBytes(),
                    (double) raw.memoryBytes() / blocks);
        }
        var checked = registry.require("smq").create(g, new SimClock(), java.util.List.of());
        System.out.printf("contract checker: %.2f bytes per block%n", (double) checked.checkerMemoryBytes() / blocks);
    }
}
