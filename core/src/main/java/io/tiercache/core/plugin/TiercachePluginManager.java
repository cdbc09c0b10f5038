package io.tiercache.core.plugin;

import io.tiercache.spi.SpiVersion;
import java.nio.file.Path;
import java.util.List;
import org.pf4j.ClassLoadingStrategy;
import org.pf4j.CompoundPluginLoader;
import org.pf4j.DefaultPluginManager;
import org.pf4j.JarPluginLoader;
import org.pf4j.PluginClassLoader;
import org.pf4j.PluginDescriptor;
import org.pf4j.PluginLoader;
import org.pf4j.PluginManager;
import org.pf4j.RuntimeMode;

/**
 * PF4J in deployment mode over one plugins folder, announcing the SPI version so that a plugin's
 * {@code Plugin-Requires} is enforced. Plugin class loaders always take the SPI and the libraries
 * whose types cross the plugin boundary from the host, so there is exactly one copy of each
 * interface (a plugin that bundles its own copy would otherwise be silently ignored).
 */
public final class TiercachePluginManager extends DefaultPluginManager {
    /** Packages a plugin must share with the host. */
    static final List<String> HOST_PACKAGES =
            List.of("io.tiercache.spi.", "org.slf4j.", "jakarta.inject.", "io.netty.", "com.github.benmanes.caffeine.");

    public TiercachePluginManager(Path pluginsRoot) {
        super(pluginsRoot);
        setSystemVersion(SpiVersion.spi());
    }

    @Override
    public RuntimeMode getRuntimeMode() {
        // Development mode would treat every sibling module folder as a plugin; never use it.
        return RuntimeMode.DEPLOYMENT;
    }

    @Override
    protected PluginLoader createPluginLoader() {
        return new CompoundPluginLoader().add(new HostFirstJarLoader(this));
    }

    /** Loads jar plugins with a class loader that delegates {@link #HOST_PACKAGES} to the host. */
    private static final class HostFirstJarLoader extends JarPluginLoader {
        HostFirstJarLoader(PluginManager manager) {
            super(manager);
        }

        @Override
        public ClassLoader loadPlugin(Path pluginPath, PluginDescriptor descriptor) {
            PluginClassLoader loader = new PluginClassLoader(pluginManager, descriptor,
                    getClass().getClassLoader(), ClassLoadingStrategy.PDA) {
                @Override
                protected boolean shouldDelegateToParent(String className) {
                    return super.shouldDelegateToParent(className)
                            || HOST_PACKAGES.stream().anyMatch(className::startsWith);
                }
            };
            loader.addFile(pluginPath.toFile());
            return loader;
        }
    }
}
