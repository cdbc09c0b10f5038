package io.tiercache.policy.smq;

import io.tiercache.spi.ExtensionName;
import io.tiercache.spi.policy.CachePolicy;
import io.tiercache.spi.policy.CachePolicyFactory;
import io.tiercache.spi.policy.PolicyGeometry;
import io.tiercache.spi.policy.PolicyVersion;
import java.time.InstantSource;
import org.pf4j.Extension;

/** The {@code smq} policy: stochastic multiqueue, the kernel's default. */
@Extension
@ExtensionName("smq")
public final class SmqPolicyFactory implements CachePolicyFactory {
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
        return new SmqPolicy(geometry, clock, SmqPolicy.Variant.SMQ);
    }
}
