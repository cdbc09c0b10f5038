package io.tiercache.core.violating;

import io.tiercache.policy.violating.PolicyReachingIntoCore;

/** A test fixture: core code that names a plugin class. The architecture rules must reject it. */
public final class CoreImportingAPlugin {
    public String pluginName() {
        return PolicyReachingIntoCore.class.getName();
    }
}
