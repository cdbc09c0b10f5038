package io.tiercache.core.plugin;

import io.tiercache.spi.ExtensionName;
import io.tiercache.spi.frontend.Frontend;
import io.tiercache.spi.metadata.MetadataFormat;
import io.tiercache.spi.policy.CachePolicyFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.pf4j.PluginManager;
import org.pf4j.PluginState;
import org.pf4j.PluginWrapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The extension classes found in the plugins folder, keyed by their {@link ExtensionName}. PF4J
 * only discovers classes; Guice constructs them (see {@code PluginModule}). {@code loaded} names the
 * started plugins ("id version from file"); the daemon announces them, the offline tools do not.
 */
public record PluginCatalog(
        Map<String, Class<? extends CachePolicyFactory>> policies,
        Map<String, Class<? extends MetadataFormat>> formats,
        Map<String, Class<? extends Frontend>> frontends,
        List<String> problems,
        List<String> loaded) {
    private static final Logger LOG = LoggerFactory.getLogger(PluginCatalog.class);

    public PluginCatalog {
        policies = Map.copyOf(policies);
        formats = Map.copyOf(formats);
        frontends = Map.copyOf(frontends);
        problems = List.copyOf(problems);
        loaded = List.copyOf(loaded);
    }

    /** A catalog made by hand (tests, a subset of another): no plugin was loaded for it. */
    public PluginCatalog(Map<String, Class<? extends CachePolicyFactory>> policies,
            Map<String, Class<? extends MetadataFormat>> formats, Map<String, Class<? extends Frontend>> frontends,
            List<String> problems) {
        this(policies, formats, frontends, problems, List.of());
    }

    public static PluginCatalog empty() {
        return new PluginCatalog(Map.of(), Map.of(), Map.of(), List.of());
    }

    /** Loads and starts every plugin under {@code root} and collects its extension classes. */
    public static PluginCatalog load(Path root) {
        if (!Files.isDirectory(root)) {
            LOG.warn("plugins folder {} does not exist: no policies, formats or frontends", root);
            return new PluginCatalog(Map.of(), Map.of(), Map.of(), List.of("no plugins folder " + root));
        }
        PluginManager pm = new TiercachePluginManager(root);
        pm.loadPlugins();
        pm.startPlugins();
        List<String> problems = new ArrayList<>();
        List<String> loaded = new ArrayList<>();
        for (PluginWrapper w : pm.getPlugins()) {
            if (w.getPluginState() != PluginState.STARTED) {
                String why = w.getFailedException() == null ? w.getPluginState().toString()
                        : w.getFailedException().getMessage();
                problems.add("plugin " + w.getPluginId() + " not started: " + why);
                LOG.error("plugin {} ({}) not started: {}", w.getPluginId(), w.getPluginPath(), why);
            } else {
                loaded.add(w.getPluginId() + " " + w.getDescriptor().getVersion() + " from "
                        + w.getPluginPath().getFileName());
                LOG.debug("plugin {} loaded", loaded.getLast());
            }
        }
        return new PluginCatalog(collect(pm, CachePolicyFactory.class, problems),
                collect(pm, MetadataFormat.class, problems), collect(pm, Frontend.class, problems), problems, loaded);
    }

    private static <T> Map<String, Class<? extends T>> collect(PluginManager pm, Class<T> point,
            List<String> problems) {
        Map<String, Class<? extends T>> byName = new LinkedHashMap<>();
        for (Class<? extends T> cls : pm.getExtensionClasses(point)) {
            ExtensionName name = cls.getAnnotation(ExtensionName.class);
            if (name == null) {
                problems.add(cls.getName() + " has no @ExtensionName; ignored");
                LOG.error("{} extension {} has no @ExtensionName; ignored", point.getSimpleName(), cls.getName());
                continue;
            }
            Class<? extends T> clash = byName.putIfAbsent(name.value(), cls);
            if (clash != null) {
                problems.add(point.getSimpleName() + " '" + name.value() + "' registered twice: " + clash.getName()
                        + " and " + cls.getName() + "; keeping the first");
                LOG.error(problems.getLast());
            }
        }
        return byName;
    }
}
