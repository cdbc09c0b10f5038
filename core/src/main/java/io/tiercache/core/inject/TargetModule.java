package io.tiercache.core.inject;

import com.google.inject.AbstractModule;
import com.google.inject.Scopes;
import com.google.inject.multibindings.MapBinder;
import io.tiercache.core.cache.CacheTargetType;
import io.tiercache.core.cache.SharedMetadata;
import io.tiercache.core.dm.DeviceMapper;
import io.tiercache.core.dm.TargetRegistry;
import io.tiercache.core.dm.TargetType;
import io.tiercache.core.dm.targets.DelayTarget;
import io.tiercache.core.dm.targets.ErrorTarget;
import io.tiercache.core.dm.targets.FlakeyTarget;
import io.tiercache.core.dm.targets.LinearTarget;
import io.tiercache.core.dm.targets.ZeroTarget;
import io.tiercache.core.metadata.MetadataFormats;
import io.tiercache.core.policy.PolicyRegistry;

/**
 * The built-in target types, registered by name like {@code dm_register_target}, and the device
 * mapper. The {@code cache} target needs the policies and metadata formats of the plugins (bound by
 * {@link PluginModule}) and one registry of open metadata objects for the whole process.
 */
public final class TargetModule extends AbstractModule {
    @Override
    protected void configure() {
        MapBinder<String, TargetType> types = MapBinder.newMapBinder(binder(), String.class, TargetType.class);
        types.addBinding("linear").toInstance(new LinearTarget.Type());
        types.addBinding("error").toInstance(new ErrorTarget.Type());
        types.addBinding("zero").toInstance(new ZeroTarget.Type());
        types.addBinding("flakey").toInstance(new FlakeyTarget.Type());
        types.addBinding("delay").toInstance(new DelayTarget.Type());
        types.addBinding("cache").to(CacheTargetType.class);
        bind(PolicyRegistry.class).in(Scopes.SINGLETON);
        bind(MetadataFormats.class).in(Scopes.SINGLETON);
        bind(SharedMetadata.class);
        bind(CacheTargetType.class);
        bind(TargetRegistry.class);
        bind(DeviceMapper.class);
    }
}
