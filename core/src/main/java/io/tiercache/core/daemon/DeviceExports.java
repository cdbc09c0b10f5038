package io.tiercache.core.daemon;

import io.tiercache.core.dm.DeviceInfo;
import io.tiercache.core.dm.DeviceMapper;
import io.tiercache.spi.frontend.Export;
import io.tiercache.spi.frontend.ExportRegistry;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Optional;

/** Every device with a live table, as frontends see it. */
public final class DeviceExports implements ExportRegistry {
    private final DeviceMapper dm;

    @Inject
    public DeviceExports(DeviceMapper dm) {
        this.dm = dm;
    }

    @Override
    public List<String> names() {
        return dm.names().stream().filter(n -> info(n).map(DeviceInfo::live).orElse(false)).toList();
    }

    @Override
    public Optional<Export> open(String name) {
        return dm.openForIo(name).map(h -> h);
    }

    @Override
    public Optional<String> describe(String name) {
        return info(name).map(i -> "tiercache device " + name + ", " + i.targets() + " target(s)");
    }

    private Optional<DeviceInfo> info(String name) {
        try {
            return Optional.of(dm.info(name));
        } catch (io.tiercache.core.dm.DmException e) {
            return Optional.empty();
        }
    }
}
