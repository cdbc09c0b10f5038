package io.tiercache.format.v2;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.inject.Guice;
import com.google.inject.Key;
import com.google.inject.Stage;
import com.google.inject.TypeLiteral;
import io.tiercache.core.inject.PluginModule;
import io.tiercache.core.metadata.GuardedMetadata;
import io.tiercache.core.metadata.MemoryDevice;
import io.tiercache.core.metadata.MetadataFormats;
import io.tiercache.core.metadata.MetadataTestKit;
import io.tiercache.core.plugin.PluginCatalog;
import io.tiercache.spi.block.CacheBlock;
import io.tiercache.spi.block.OriginBlock;
import io.tiercache.spi.metadata.MetadataFormat;
import io.tiercache.spi.metadata.OpenOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pf4j.PluginClassLoader;

/**
 * The packaged jars of both formats, dropped in a plugins folder, load through the host's
 * {@link PluginCatalog}: format 2 finds format 1's classes through its PF4J plugin dependency, and
 * works (checked with the tools).
 */
class PluginJarsIT {
    @TempDir
    Path plugins;

    @Test
    void bothFormatJarsLoadAndFormat2UsesFormat1sClasses() throws Exception {
        for (String property : new String[] {"format.v1.jar", "format.v2.jar"}) {
            Path jar = Path.of(System.getProperty(property));
            assertThat(jar).as(property).isRegularFile();
            Files.copy(jar, plugins.resolve(jar.getFileName()));
        }
        PluginCatalog catalog = PluginCatalog.load(plugins);
        assertThat(catalog.problems()).isEmpty();
        assertThat(catalog.formats()).containsOnlyKeys("1", "2");
        Class<?> v1 = catalog.formats().get("1");
        Class<?> v2 = catalog.formats().get("2");
        assertThat(v1.getClassLoader()).isInstanceOf(PluginClassLoader.class);
        assertThat(v2.getClassLoader()).isInstanceOf(PluginClassLoader.class).isNotSameAs(v1.getClassLoader());
        assertThat(v2.getSuperclass().getClassLoader()).as("format 1's shared code, from format 1's plugin")
                .isSameAs(v1.getClassLoader());

        var injector = Guice.createInjector(Stage.PRODUCTION, new PluginModule(catalog));
        Map<String, MetadataFormat> byName = injector.getInstance(Key.get(new TypeLiteral<Map<String, MetadataFormat>>() {}));
        MetadataFormats formats = new MetadataFormats(byName);
        assertThat(formats.versions()).containsExactly(1, 2);

        MemoryDevice dev = MemoryDevice.ofMiB(1);
        try (GuardedMetadata md = formats.open(dev, new OpenOptions(128, true, 2, false))) {
            md.resize(64);
            md.insertMapping(CacheBlock.of(5), OriginBlock.of(77));
            BitSet dirty = new BitSet();
            dirty.set(5);
            md.setDirtyBits(64, dirty);
            md.commit(true);
        }
        Path image = dev.save(plugins.resolve("v2.bin"));
        MetadataTestKit.verifyWithTools(image, 2, """
                <superblock uuid="" block_size="128" nr_cache_blocks="64" policy="" hint_width="4">
                  <mappings>
                    <mapping cache_block="5" origin_block="77" dirty="true"/>
                  </mappings>
                  <hints>
                    <hint cache_block="5" data="AAAAAA=="/>
                  </hints>
                </superblock>""");
        assertThat(formats.formatOf(dev).getClass()).isSameAs(v2);
    }
}
