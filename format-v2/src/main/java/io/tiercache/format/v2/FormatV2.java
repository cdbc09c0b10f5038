package io.tiercache.format.v2;

import io.tiercache.format.v1.DirtyBits;
import io.tiercache.format.v1.DmCacheFormat;
import io.tiercache.spi.ExtensionName;
import org.pf4j.Extension;

/**
 * Metadata format 2 ("metadata2"): dirty bits in a separate bitset (spec §6). Everything else is
 * format 1's code, which this plugin reaches through its PF4J dependency on
 * {@code metadata-format-v1}.
 */
@Extension
@ExtensionName("2")
public final class FormatV2 extends DmCacheFormat {
    public FormatV2() {
        super(2);
    }

    @Override
    protected DirtyBits.Store dirtyBits() {
        return DirtyBitset.STORE;
    }
}
