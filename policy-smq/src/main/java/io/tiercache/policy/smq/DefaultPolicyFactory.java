package io.tiercache.policy.smq;

import io.tiercache.spi.ExtensionName;
import io.tiercache.spi.policy.CachePolicy;
import io.tiercache.spi.policy.CachePolicyFactory;
import io.tiercache.spi.policy.PolicyGeometry;
import io.tiercache.spi.policy.PolicyVersion;
import java.time.InstantSource;
import java.util.Optional;
import org.pf4j.Extension;

/** {@code default}: an alias of smq. Status and metadata say {@code smq}; the table line keeps {@code default}. */
@Extension
@ExtensionName("default")
public final class DefaultPolicyFactory implements CachePolicyFactory {
    @Override
    public PolicyVersion version() {
        return SmqVersion.VERSION;
    }

    @Override
    public int hintSize() {
        return SmqVersion.HINT_SIZE;
    }

    @Override
    public Optional<String> aliasOf() {
        return Optional.of("smq");
    }

    @Override
    public CachePolicy create(PolicyGeometry geometry, InstantSource clock) {
        return new SmqPolicy(geometry, clock, SmqPolicy.Variant.SMQ);
    }
}
