package io.tiercache.core.policy.lru;

import io.tiercache.spi.ExtensionName;
import io.tiercache.spi.policy.CachePolicy;
import io.tiercache.spi.policy.CachePolicyFactory;
import io.tiercache.spi.policy.PolicyGeometry;
import io.tiercache.spi.policy.PolicyVersion;
import java.time.InstantSource;

/**
 * The built-in {@code lru}: promote on every miss, evict the least recently used block. It exists to
 * check the simulator against the reference numbers of the shared traces and as the yardstick of
 * the promotion score; it is not meant for real caches (every miss costs a copy).
 */
@ExtensionName("lru")
public final class LruPolicyFactory implements CachePolicyFactory {
    @Override
    public PolicyVersion version() {
        return PolicyVersion.of(1, 0, 0);
    }

    @Override
    public int hintSize() {
        return 0;
    }

    @Override
    public CachePolicy create(PolicyGeometry geometry, InstantSource clock) {
        if (geometry.cacheBlocks() > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("lru supports at most 2^31 - 9 cache blocks");
        }
        return new LruPolicy((int) geometry.cacheBlocks());
    }
}
