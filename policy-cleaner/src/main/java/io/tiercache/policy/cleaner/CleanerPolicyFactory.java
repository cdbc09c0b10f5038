package io.tiercache.policy.cleaner;

import io.tiercache.policy.smq.SmqPolicy;
import io.tiercache.policy.smq.SmqVersion;
import io.tiercache.spi.ExtensionName;
import io.tiercache.spi.policy.CachePolicy;
import io.tiercache.spi.policy.CachePolicyFactory;
import io.tiercache.spi.policy.PolicyGeometry;
import io.tiercache.spi.policy.PolicyVersion;
import java.time.InstantSource;
import org.pf4j.Extension;

/**
 * The {@code cleaner} policy: empties a cache of dirty data before it is decommissioned, shrunk or
 * switched to passthrough. It is smq with migrations disallowed — it never promotes or demotes —
 * and a clean target of "no dirty block" even while the device is busy (then it takes only blocks
 * in front of the writeback sentinels, so every dirty block becomes eligible within one 10 s
 * writeback period). Its hints are smq's levels under another name, so switching policies drops
 * them.
 */
@Extension
@ExtensionName("cleaner")
public final class CleanerPolicyFactory implements CachePolicyFactory {
    @Override
    public PolicyVersion version() {
        return SmqVersion.VERSION;
    }

    @Override
    public int hintSize() {
        return SmqVersion.HINT_SIZE;
    }

    @Override
    public CachePolicy create(PolicyGeometry geometry, InstantSource clock) {
        return new SmqPolicy(geometry, clock, SmqPolicy.Variant.CLEANER);
    }
}
