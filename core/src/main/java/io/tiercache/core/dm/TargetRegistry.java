package io.tiercache.core.dm;

import jakarta.inject.Inject;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** The registered target types by name ({@code dm_get_target_type}). */
public final class TargetRegistry {
    private final Map<String, TargetType> types;

    @Inject
    public TargetRegistry(Map<String, TargetType> types) {
        this.types = new TreeMap<>(types);
    }

    public Optional<TargetType> find(String name) {
        return Optional.ofNullable(types.get(name));
    }

    /** All types, sorted by name, for {@code targets}. */
    public Map<String, TargetType> all() {
        return java.util.Collections.unmodifiableMap(types);
    }
}
