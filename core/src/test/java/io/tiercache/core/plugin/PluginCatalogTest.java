package io.tiercache.core.plugin;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.inject.Guice;
import com.google.inject.Key;
import com.google.inject.Stage;
import com.google.inject.TypeLiteral;
import io.tiercache.core.inject.PluginModule;
import io.tiercache.core.plugin.fixture.EchoPolicyFactory;
import io.tiercache.spi.policy.CachePolicyFactory;
import io.tiercache.spi.policy.PolicyGeometry;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pf4j.PluginClassLoader;
import org.pf4j.test.PluginJar;

/** Plugin jars built here, dropped in a folder, found by name and constructed by Guice. */
class PluginCatalogTest {
    @TempDir
    Path plugins;

    private void jar(String id, String requires) throws Exception {
        new PluginJar.Builder(plugins.resolve(id + ".jar"), id)
                .pluginVersion("1.0.0")
                .manifestAttribute("Plugin-Requires", requires)
                .extension(EchoPolicyFactory.class.getName())
                .build();
    }

    @Test
    void aDroppedInPolicyJarIsDiscoveredAndInjectable() throws Exception {
        jar("echo-policy", ">=1.0.0 & <2.0.0");
        PluginCatalog catalog = PluginCatalog.load(plugins);
        assertThat(catalog.problems()).isEmpty();
        assertThat(catalog.policies()).containsOnlyKeys("echo");
        Class<?> cls = catalog.policies().get("echo");
        assertThat(cls.getClassLoader()).as("loaded from the jar, not the host").isInstanceOf(PluginClassLoader.class);

        var injector = Guice.createInjector(Stage.PRODUCTION, new PluginModule(catalog));
        Map<String, CachePolicyFactory> policies =
                injector.getInstance(Key.get(new TypeLiteral<Map<String, CachePolicyFactory>>() {}));
        CachePolicyFactory echo = policies.get("echo");
        var policy = echo.create(new PolicyGeometry(10, 1000, 128), InstantSource.system());
        assertThat(policy.setConfigValue("k", "v")).isTrue();
        assertThat(policy.configValues()).containsExactly("k", "v");
        assertThat(policies.get("echo")).as("one instance per injector").isSameAs(echo);
    }

    @Test
    void aPluginForAnotherSpiMajorVersionIsRefused() throws Exception {
        jar("future-policy", ">=2.0.0");
        PluginCatalog catalog = PluginCatalog.load(plugins);
        assertThat(catalog.policies()).isEmpty();
        assertThat(catalog.problems()).singleElement().asString().contains("future-policy");
    }

    @Test
    void aMissingFolderMeansNoPlugins() {
        PluginCatalog catalog = PluginCatalog.load(plugins.resolve("nope"));
        assertThat(catalog.policies()).isEmpty();
        assertThat(catalog.frontends()).isEmpty();
    }
}
