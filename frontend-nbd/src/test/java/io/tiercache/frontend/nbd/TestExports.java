package io.tiercache.frontend.nbd;

import io.tiercache.spi.frontend.Export;
import io.tiercache.spi.frontend.ExportRegistry;
import io.tiercache.spi.frontend.FrontendContext;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/** A registry of {@link TestDevice}s and a {@link FrontendContext} around it. */
final class TestExports implements ExportRegistry {
    private final Map<String, TestDevice> devices = new ConcurrentHashMap<>();
    private final Map<String, String> descriptions = new ConcurrentHashMap<>();

    TestDevice add(TestDevice device, String description) {
        devices.put(device.name(), device);
        descriptions.put(device.name(), description);
        return device;
    }

    TestDevice add(TestDevice device) {
        return add(device, "");
    }

    TestDevice device(String name) {
        return devices.get(name);
    }

    @Override
    public List<String> names() {
        return List.copyOf(new TreeMap<>(devices).keySet());
    }

    @Override
    public Optional<Export> open(String name) {
        return Optional.ofNullable(devices.get(name)).map(TestDevice::open);
    }

    @Override
    public Optional<String> describe(String name) {
        return devices.containsKey(name) ? Optional.of(descriptions.getOrDefault(name, "")) : Optional.empty();
    }

    FrontendContext context(Map<String, String> settings) {
        return context(this, settings);
    }

    /** A frontend context over any registry (the daemon's own, in the zero-copy tests). */
    static FrontendContext context(ExportRegistry registry, Map<String, String> settings) {
        Map<String, String> copy = new HashMap<>(settings);
        return new FrontendContext() {
            @Override
            public ExportRegistry exports() {
                return registry;
            }

            @Override
            public Optional<String> setting(String key) {
                return Optional.ofNullable(copy.get(key));
            }
        };
    }
}
