package io.tiercache.core.inject;

import com.google.inject.AbstractModule;
import com.google.inject.Singleton;
import com.google.inject.multibindings.MapBinder;
import io.tiercache.core.plugin.PluginCatalog;
import io.tiercache.spi.frontend.Frontend;
import io.tiercache.spi.metadata.MetadataFormat;
import io.tiercache.spi.policy.CachePolicyFactory;
import java.util.Map;

/**
 * Binds the plugins' extension classes explicitly (so they live in this one injector) into
 * name-keyed maps: {@code Map<String, CachePolicyFactory>}, {@code Map<String, MetadataFormat>},
 * {@code Map<String, Frontend>}.
 */
public final class PluginModule extends AbstractModule {
    private final PluginCatalog catalog;

    public PluginModule(PluginCatalog catalog) {
        this.catalog = catalog;
    }

    @Override
    protected void configure() {
        bind(PluginCatalog.class).toInstance(catalog);
        bindAll(MapBinder.newMapBinder(binder(), String.class, CachePolicyFactory.class), catalog.policies());
        bindAll(MapBinder.newMapBinder(binder(), String.class, MetadataFormat.class), catalog.formats());
        bindAll(MapBinder.newMapBinder(binder(), String.class, Frontend.class), catalog.frontends());
    }

    private <T> void bindAll(MapBinder<String, T> map, Map<String, Class<? extends T>> classes) {
        classes.forEach((name, cls) -> {
            bind(cls).in(Singleton.class);
            map.addBinding(name).to(cls);
        });
    }
}
