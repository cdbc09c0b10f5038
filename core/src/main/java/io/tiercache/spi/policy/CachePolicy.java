package io.tiercache.spi.policy;

import java.util.List;

/**
 * One policy instance, owned by one cache table. The decision interface (lookup, background work,
 * dirty tracking, hints, ticks) is specified with the cache target; this first version carries
 * what every policy has: its configuration.
 */
public interface CachePolicy {
    /** Applies one {@code key value} pair from the table or a message; false if the key is unknown. */
    boolean setConfigValue(String key, String value);

    /** The policy arguments for the status line, without the leading count. */
    default List<String> configValues() {
        return List.of();
    }
}
