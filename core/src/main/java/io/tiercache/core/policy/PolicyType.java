package io.tiercache.core.policy;

import io.tiercache.spi.policy.CachePolicy;
import io.tiercache.spi.policy.CachePolicyFactory;
import io.tiercache.spi.policy.PolicyGeometry;
import io.tiercache.spi.policy.PolicyVersion;
import java.time.InstantSource;
import java.util.List;
import java.util.Objects;

/**
 * A policy name resolved in the {@link PolicyRegistry}.
 *
 * @param name the name as the table gives it ({@code default}); the table line shows it
 * @param realName the policy it really is ({@code smq}); status, metadata and hint checks use it
 */
public record PolicyType(String name, String realName, PolicyVersion version, int hintSize,
        CachePolicyFactory factory) {
    public PolicyType {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(realName, "realName");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(factory, "factory");
    }

    /**
     * Creates the policy behind the contract checker and applies the table's policy arguments
     * ({@code key value} pairs, in order) as the kernel's constructor does.
     *
     * @throws PolicyException with the kernel's message for an odd count or a refused pair
     */
    public CheckedPolicy create(PolicyGeometry geometry, InstantSource clock, List<String> args)
            throws PolicyException {
        if (args.size() % 2 != 0) {
            throw new PolicyException(PolicyException.CONFIG_FAILED, "odd number of policy arguments");
        }
        CachePolicy raw;
        try {
            raw = factory.create(geometry, clock);
        } catch (RuntimeException e) {
            throw new PolicyException(PolicyException.CREATE_FAILED,
                    "policy " + realName + " refused to start: " + e.getMessage());
        }
        CheckedPolicy policy = new CheckedPolicy(realName, raw, geometry, hintSize);
        for (int i = 0; i < args.size(); i += 2) {
            String key = args.get(i);
            String value = args.get(i + 1);
            if (!policy.setConfigValue(key, value)) {
                throw new PolicyException(PolicyException.CONFIG_FAILED,
                        "bad config value for " + key + ": " + value);
            }
        }
        return policy;
    }

    /** The status line's policy fields: real name, then the argument count and arguments. */
    public static String statusArgs(CachePolicy policy) {
        List<String> words = policy.configValues();
        return words.isEmpty() ? "0" : words.size() + " " + String.join(" ", words);
    }
}
