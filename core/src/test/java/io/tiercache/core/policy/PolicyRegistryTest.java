package io.tiercache.core.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tiercache.core.policy.lru.LruPolicyFactory;
import io.tiercache.spi.policy.CachePolicy;
import io.tiercache.spi.policy.CachePolicyFactory;
import io.tiercache.spi.policy.PolicyGeometry;
import io.tiercache.spi.policy.PolicyVersion;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Names, aliases and policy arguments, with the kernel's errors. */
class PolicyRegistryTest {
    private static final PolicyGeometry G = PolicyGeometry.ofBlocks(8, 100, 128);

    /** A fake policy type: accepts the key "k", and may be an alias. */
    record Fake(String alias, int hintSize) implements CachePolicyFactory {
        @Override
        public PolicyVersion version() {
            return PolicyVersion.of(2, 0, 0);
        }

        @Override
        public Optional<String> aliasOf() {
            return Optional.ofNullable(alias);
        }

        @Override
        public CachePolicy create(PolicyGeometry geometry, InstantSource clock) {
            RoguePolicy p = new RoguePolicy();
            p.acceptedKey = "k";
            return p;
        }
    }

    @Test
    void anAliasKeepsItsNameAndShowsItsRealOne() throws Exception {
        PolicyRegistry r = new PolicyRegistry(Map.of("smq", new Fake(null, 4), "default", new Fake("smq", 4)));
        PolicyType d = r.require("default");
        assertThat(d.name()).isEqualTo("default");
        assertThat(d.realName()).isEqualTo("smq");
        assertThat(d.create(G, InstantSource.system(), List.of()).name()).isEqualTo("smq");
        assertThat(r.all()).containsOnlyKeys("default", "lru", "smq");
    }

    @Test
    void namesAreCaseSensitiveAndUnknownOnesFailLikeTheKernel() {
        PolicyRegistry r = new PolicyRegistry(Map.of());
        assertThatThrownBy(() -> r.require("LRU")).isInstanceOf(PolicyException.class)
                .hasMessage("Error creating cache's policy");
    }

    @Test
    void badRegistrationsAreRefusedAndReported() {
        PolicyRegistry r = new PolicyRegistry(Map.of("a-very-long-policy-name", new Fake(null, 0), "odd", new Fake(null, 3),
                "lru", new Fake(null, 0)));
        assertThat(r.all()).containsOnlyKeys("lru");
        assertThat(r.all().get("lru").factory()).isInstanceOf(LruPolicyFactory.class);
        assertThat(r.problems()).hasSize(3);
    }

    @Test
    void policyArgumentsArePairsTheFactoryMustAccept() throws Exception {
        PolicyType t = new PolicyRegistry(Map.of("f", new Fake(null, 0))).require("f");
        assertThat(t.create(G, InstantSource.system(), List.of("K", "1", "k", "2"))).isNotNull();
        assertThatThrownBy(() -> t.create(G, InstantSource.system(), List.of("k")))
                .isInstanceOf(PolicyException.class).hasMessage("Error setting cache policy's config values")
                .extracting(e -> ((PolicyException) e).detail()).isEqualTo("odd number of policy arguments");
        assertThatThrownBy(() -> t.create(G, InstantSource.system(), List.of("x", "1")))
                .extracting(e -> ((PolicyException) e).detail()).isEqualTo("bad config value for x: 1");
    }

    @Test
    void theStatusShowsTheArgumentCount() throws Exception {
        CheckedPolicy lru = new PolicyRegistry(Map.of()).require("lru").create(G, InstantSource.system(), List.of());
        assertThat(PolicyType.statusArgs(lru)).isEqualTo("0");
        RoguePolicy rogue = new RoguePolicy();
        rogue.config = List.of("a", "0", "b", "0");
        assertThat(PolicyType.statusArgs(rogue)).isEqualTo("4 a 0 b 0");
    }
}
