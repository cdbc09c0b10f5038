package io.tiercache.policy.adaptive;

import io.tiercache.spi.ExtensionName;
import io.tiercache.spi.policy.CachePolicy;
import io.tiercache.spi.policy.CachePolicyFactory;
import io.tiercache.spi.policy.PolicyGeometry;
import io.tiercache.spi.policy.PolicyVersion;
import java.time.InstantSource;
import org.pf4j.Extension;

/**
 * The {@code adaptive} policy: selective admission (a block is copied into the cache only when it, or
 * failing a record of its own its extent, is used more often than the block it would replace), with
 * the evidence required tuned by how useful past promotions turned out, over a segmented LRU. See
 * {@link AdaptivePolicy}. One policy argument, {@code useful_percent} (1–99, default 50).
 */
@Extension
@ExtensionName("adaptive")
public final class AdaptivePolicyFactory implements CachePolicyFactory {
    @Override
    public PolicyVersion version() {
        return AdaptiveVersion.VERSION;
    }

    @Override
    public int hintSize() {
        return AdaptiveVersion.HINT_SIZE;
    }

    /** Aging follows the access count, not the clock, so the clock is not used. */
    @Override
    public CachePolicy create(PolicyGeometry geometry, InstantSource clock) {
        if (geometry.cacheBlocks() > AdaptivePolicy.MAX_CACHE_BLOCKS) {
            throw new IllegalArgumentException("adaptive supports at most " + AdaptivePolicy.MAX_CACHE_BLOCKS
                    + " cache blocks");
        }
        return new AdaptivePolicy((int) geometry.cacheBlocks());
    }
}
