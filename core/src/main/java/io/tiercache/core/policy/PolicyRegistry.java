package io.tiercache.core.policy;

import com.google.inject.Guice;
import com.google.inject.Key;
import com.google.inject.Stage;
import com.google.inject.TypeLiteral;
import io.tiercache.core.inject.PluginModule;
import io.tiercache.core.plugin.PluginCatalog;
import io.tiercache.core.policy.lru.LruPolicyFactory;
import io.tiercache.spi.policy.CachePolicyFactory;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The policy types by name, like the kernel's {@code dm_cache_policy_register} list: the plugins'
 * factories plus the built-in {@code lru} (a reference policy for the simulator). A name is at most
 * 15 characters; an alias ({@code default}) resolves to its real policy's name for status and
 * metadata but keeps its own name for the table line.
 */
public final class PolicyRegistry {
    /** The kernel's limit (a 16-byte name field with its terminating zero). */
    public static final int MAX_NAME_LENGTH = 15;

    private static final Logger LOG = LoggerFactory.getLogger(PolicyRegistry.class);

    private final SortedMap<String, PolicyType> types = new TreeMap<>();
    private final List<String> problems = new ArrayList<>();

    @Inject
    public PolicyRegistry(Map<String, CachePolicyFactory> plugins) {
        this(plugins, Map.of("lru", new LruPolicyFactory()));
    }

    /** With explicit built-ins, which take precedence over plugins of the same name. */
    public PolicyRegistry(Map<String, CachePolicyFactory> plugins, Map<String, CachePolicyFactory> builtins) {
        builtins.forEach(this::register);
        new TreeMap<>(plugins).forEach((name, factory) -> {
            if (types.containsKey(name)) {
                problem("policy '" + name + "' from " + factory.getClass().getName()
                        + " clashes with a built-in policy; ignored");
            } else {
                register(name, factory);
            }
        });
    }

    /** The registry for a plugins folder (what {@code tiercache sim} and tools use). */
    public static PolicyRegistry fromPluginsFolder(Path plugins) {
        PluginCatalog all = PluginCatalog.load(plugins);
        PluginCatalog policiesOnly = new PluginCatalog(all.policies(), Map.of(), Map.of(), all.problems());
        var injector = Guice.createInjector(Stage.PRODUCTION, new PluginModule(policiesOnly));
        Map<String, CachePolicyFactory> factories =
                injector.getInstance(Key.get(new TypeLiteral<Map<String, CachePolicyFactory>>() {}));
        PolicyRegistry registry = new PolicyRegistry(factories);
        registry.problems.addAll(0, all.problems());
        return registry;
    }

    private void register(String name, CachePolicyFactory factory) {
        if (name.isEmpty() || name.length() > MAX_NAME_LENGTH || !name.chars().allMatch(c -> c > ' ' && c < 127)) {
            problem("policy name '" + name + "' must be 1 to " + MAX_NAME_LENGTH
                    + " printable characters without spaces; ignored");
            return;
        }
        int hintSize = factory.hintSize();
        if (hintSize != 0 && hintSize != 4) {
            problem("policy '" + name + "' declares a hint size of " + hintSize + " (must be 0 or 4); ignored");
            return;
        }
        String real = factory.aliasOf().orElse(name);
        types.put(name, new PolicyType(name, real, factory.version(), hintSize, factory));
    }

    private void problem(String text) {
        problems.add(text);
        LOG.error(text);
    }

    public Optional<PolicyType> find(String name) {
        return Optional.ofNullable(types.get(name));
    }

    /**
     * The type for a table's policy name (case-sensitive, as in the kernel).
     *
     * @throws PolicyException "Error creating cache's policy" for an unknown name
     */
    public PolicyType require(String name) throws PolicyException {
        PolicyType type = types.get(name);
        if (type == null) {
            throw new PolicyException(PolicyException.CREATE_FAILED,
                    "unknown policy '" + name + "' (known: " + String.join(", ", types.keySet()) + ")");
        }
        return type;
    }

    /** Every registered name, sorted. */
    public SortedMap<String, PolicyType> all() {
        return Collections.unmodifiableSortedMap(types);
    }

    /** What was refused while loading (also logged). */
    public List<String> problems() {
        return List.copyOf(problems);
    }
}
