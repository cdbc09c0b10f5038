package io.tiercache.spi.policy;

import org.pf4j.ExtensionPoint;

/**
 * A registered policy type, the counterpart of the kernel's {@code dm_cache_policy_type}: a name
 * (from {@link io.tiercache.spi.ExtensionName}), a version and a hint size, and a constructor.
 * Hints written by one policy are trusted by another only when name, major version and hint size
 * agree.
 */
public interface CachePolicyFactory extends ExtensionPoint {
    /** Version as major, minor, patch. */
    int[] version();

    /** Bytes of per-block hint this policy persists: 0 or 4. */
    int hintSize();

    /** The name this policy really is, when registered under an alias ({@code default} is smq). */
    default String realName() {
        return null;
    }

    CachePolicy create(PolicyGeometry geometry);
}
