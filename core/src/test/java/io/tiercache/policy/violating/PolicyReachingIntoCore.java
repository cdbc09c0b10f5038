package io.tiercache.policy.violating;

import io.tiercache.core.dm.DeviceMapper;

/** A test fixture: a "plugin" that reaches into core's engine. The architecture rules must reject it. */
public final class PolicyReachingIntoCore {
    private final DeviceMapper dm;

    public PolicyReachingIntoCore(DeviceMapper dm) {
        this.dm = dm;
    }

    public int devices() {
        return dm.names().size();
    }
}
