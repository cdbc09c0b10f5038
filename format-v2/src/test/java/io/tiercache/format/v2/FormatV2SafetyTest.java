package io.tiercache.format.v2;

import io.tiercache.core.metadata.FormatSafetyContract;
import io.tiercache.spi.metadata.MetadataFormat;

class FormatV2SafetyTest extends FormatSafetyContract {
    @Override
    protected MetadataFormat format() {
        return new FormatV2();
    }
}
