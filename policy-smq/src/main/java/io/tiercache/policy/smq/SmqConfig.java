package io.tiercache.policy.smq;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Policy arguments. smq, default and cleaner take none. mq takes the five tunables of the old mq
 * policy, each with an unsigned decimal value, and ignores them (with a warning), so that old
 * tables keep loading; its status shows them all as zero.
 */
final class SmqConfig {
    private static final Logger LOG = LoggerFactory.getLogger(SmqConfig.class);
    private static final List<String> MQ_KEYS = List.of("random_threshold", "sequential_threshold",
            "discard_promote_adjustment", "read_promote_adjustment", "write_promote_adjustment");
    private static final Set<String> MQ_KEY_SET = Set.copyOf(MQ_KEYS);

    private final SmqPolicy.Variant variant;

    SmqConfig(SmqPolicy.Variant variant) {
        this.variant = variant;
    }

    boolean set(String key, String value) {
        if (variant != SmqPolicy.Variant.MQ || !isUnsignedDecimal(value)) {
            return false;
        }
        String k = key.toLowerCase(Locale.ROOT);
        if (!MQ_KEY_SET.contains(k)) {
            return false;
        }
        LOG.warn("mq tunable '{}' has no effect: mq is an alias for smq", key);
        return true;
    }

    /** An unsigned long in decimal, as the kernel's {@code kstrtoul(value, 10, …)} accepts it. */
    static boolean isUnsignedDecimal(String value) {
        String digits = value.endsWith("\n") ? value.substring(0, value.length() - 1) : value;
        if (digits.startsWith("+")) {
            digits = digits.substring(1);
        }
        if (digits.isEmpty() || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return false;
        }
        try {
            Long.parseUnsignedLong(digits);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    List<String> values() {
        if (variant != SmqPolicy.Variant.MQ) {
            return List.of();
        }
        return MQ_KEYS.stream().flatMap(k -> java.util.stream.Stream.of(k, "0")).toList();
    }
}
