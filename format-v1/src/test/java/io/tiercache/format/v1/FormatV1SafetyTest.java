package io.tiercache.format.v1;

import io.tiercache.core.metadata.FormatSafetyContract;
import io.tiercache.spi.metadata.MetadataFormat;

class FormatV1SafetyTest extends FormatSafetyContract {
    @Override
    protected MetadataFormat format() {
        return new FormatV1();
    }
}
