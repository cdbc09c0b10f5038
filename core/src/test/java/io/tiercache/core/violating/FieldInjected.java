package io.tiercache.core.violating;

import io.tiercache.core.dm.DeviceMapper;
import jakarta.inject.Inject;

/** A test fixture: field injection, which the architecture rules forbid. */
public final class FieldInjected {
    @Inject
    DeviceMapper dm;
}
