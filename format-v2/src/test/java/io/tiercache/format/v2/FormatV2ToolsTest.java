package io.tiercache.format.v2;

import io.tiercache.core.metadata.FormatToolsContract;
import io.tiercache.spi.metadata.MetadataFormat;

class FormatV2ToolsTest extends FormatToolsContract {
    @Override
    protected MetadataFormat format() {
        return new FormatV2();
    }
}
