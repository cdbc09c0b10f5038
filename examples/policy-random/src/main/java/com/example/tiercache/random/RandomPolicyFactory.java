package com.example.tiercache.random;

import io.tiercache.spi.ExtensionName;
import io.tiercache.spi.policy.CachePolicy;
import io.tiercache.spi.policy.CachePolicyFactory;
import io.tiercache.spi.policy.PolicyGeometry;
import io.tiercache.spi.policy.PolicyVersion;
import java.time.InstantSource;
import org.pf4j.Extension;

/**
 * Registers the {@code random} policy. {@code @Extension} makes PF4J's annotation processor list
 * this class in the jar's {@code META-INF/extensions.idx}; {@code @ExtensionName} is the name a
 * table line or {@code tiercache sim --policy} uses.
 */
@Extension
@ExtensionName("random")
public final class RandomPolicyFactory implements CachePolicyFactory {
    @Override
    public PolicyVersion version() {
        return PolicyVersion.of(1, 0, 0);
    }

    /** No hints: a random policy has nothing worth remembering across restarts. */
    @Override
    public int hintSize() {
        return 0;
    }

    @Override
    public CachePolicy create(PolicyGeometry geometry, InstantSource clock) {
        if (geometry.cacheBlocks() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("too many cache blocks for the random policy");
        }
        return new RandomPolicy((int) geometry.cacheBlocks());
    }
}
