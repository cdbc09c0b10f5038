package io.tiercache.spi.policy;

import java.time.InstantSource;
import java.util.Optional;
import org.pf4j.ExtensionPoint;

/**
 * A registered policy type, the counterpart of the kernel's {@code dm_cache_policy_type}: a name
 * (from {@link io.tiercache.spi.ExtensionName}, at most 15 characters), a version, a hint size and
 * a constructor. Hints written by one policy are trusted by another only when name, major version
 * and hint size agree.
 *
 * <p>A policy plugin is a jar with one or more implementations of this interface, each annotated
 * {@code @Extension} and {@code @ExtensionName("name")}, depending on nothing but
 * {@code io.tiercache.spi}, the JDK, PF4J and SLF4J.
 */
public interface CachePolicyFactory extends ExtensionPoint {
    PolicyVersion version();

    /** Bytes of per-block hint this policy persists: 0 or 4. */
    int hintSize();

    /**
     * The policy this name is an alias of ({@code default} is smq): status and metadata show the
     * real name, the table line keeps the alias.
     */
    default Optional<String> aliasOf() {
        return Optional.empty();
    }

    /**
     * A new, empty policy.
     *
     * @param clock the time source for the policy's periods; the simulator passes a simulated one
     * @throws IllegalArgumentException if the geometry is beyond what the policy supports
     */
    CachePolicy create(PolicyGeometry geometry, InstantSource clock);
}
