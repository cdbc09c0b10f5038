package io.tiercache.format.v1;

import io.tiercache.spi.ExtensionName;
import org.pf4j.Extension;

/**
 * Metadata format 1: the dirty bit is the DIRTY flag of each mapping word (spec §6). The default
 * of tools 0.9 {@code cache_restore} and of kernel tables without the {@code metadata2} feature.
 */
@Extension
@ExtensionName("1")
public final class FormatV1 extends DmCacheFormat {
    public FormatV1() {
        super(1);
    }

    @Override
    protected DirtyBits.Store dirtyBits() {
        return DirtyFlags.STORE;
    }
}
