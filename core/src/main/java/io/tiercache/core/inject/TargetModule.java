package io.tiercache.core.inject;

import com.google.inject.AbstractModule;
import com.google.inject.multibindings.MapBinder;
import io.tiercache.core.dm.DeviceMapper;
import io.tiercache.core.dm.TargetRegistry;
import io.tiercache.core.dm.TargetType;
import io.tiercache.core.dm.targets.DelayTarget;
import io.tiercache.core.dm.targets.ErrorTarget;
import io.tiercache.core.dm.targets.FlakeyTarget;
import io.tiercache.core.dm.targets.LinearTarget;
import io.tiercache.core.dm.targets.ZeroTarget;

/** The built-in target types, registered by name like {@code dm_register_target}, and the device mapper. */
public final class TargetModule extends AbstractModule {
    @Override
    protected void configure() {
        MapBinder<String, TargetType> types = MapBinder.newMapBinder(binder(), String.class, TargetType.class);
        types.addBinding("linear").toInstance(new LinearTarget.Type());
        types.addBinding("error").toInstance(new ErrorTarget.Type());
        types.addBinding("zero").toInstance(new ZeroTarget.Type());
        types.addBinding("flakey").toInstance(new FlakeyTarget.Type());
        types.addBinding("delay").toInstance(new DelayTarget.Type());
        bind(TargetRegistry.class);
        bind(DeviceMapper.class);
    }
}
