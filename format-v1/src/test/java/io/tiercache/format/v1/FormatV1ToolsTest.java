package io.tiercache.format.v1;

import io.tiercache.core.metadata.FormatToolsContract;
import io.tiercache.spi.metadata.MetadataFormat;

class FormatV1ToolsTest extends FormatToolsContract {
    @Override
    protected MetadataFormat format() {
        return new FormatV1();
    }
}
