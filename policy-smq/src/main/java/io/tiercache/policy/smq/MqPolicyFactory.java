package io.tiercache.policy.smq;

import io.tiercache.spi.ExtensionName;
import io.tiercache.spi.policy.CachePolicy;
import io.tiercache.spi.policy.CachePolicyFactory;
import io.tiercache.spi.policy.PolicyGeometry;
import io.tiercache.spi.policy.PolicyVersion;
import java.time.InstantSource;
import org.pf4j.Extension;

/** {@code mq}: smq under the old mq policy's name, accepting (and ignoring) its five tunables. */
@Extension
@ExtensionName("mq")
public final class MqPolicyFactory implements CachePolicyFactory {
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
        return new SmqPolicy(geometry, clock, SmqPolicy.Variant.MQ);
    }
}
