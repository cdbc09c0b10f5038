package io.tiercache.core.violating;

import io.tiercache.core.cache.IoMode;
import io.tiercache.core.cache.ModeSwitchChecks;
import io.tiercache.core.dm.DmException;
import io.tiercache.spi.metadata.CacheMetadata;

/**
 * A test fixture: the pre-2026 mistake, a mode-switch check in a table constructor (where LVM's
 * preloaded table judges a state the live table keeps changing). The architecture rules must reject it.
 */
public final class ModeSwitchFromConstructor {
    private final boolean refused;

    public ModeSwitchFromConstructor(IoMode mode, CacheMetadata metadata) {
        boolean r = false;
        try {
            ModeSwitchChecks.refusePassthroughAfterUncleanShutdown(mode, metadata, "fixture");
        } catch (DmException e) {
            r = true;
        }
        refused = r;
    }

    public boolean refused() {
        return refused;
    }
}
