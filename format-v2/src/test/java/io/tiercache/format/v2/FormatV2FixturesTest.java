package io.tiercache.format.v2;

import io.tiercache.core.metadata.FormatFixturesContract;
import io.tiercache.spi.metadata.MetadataFormat;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

class FormatV2FixturesTest extends FormatFixturesContract {
    static List<Path> images() throws IOException {
        return imagesOf(2);
    }

    @Override
    protected MetadataFormat format() {
        return new FormatV2();
    }
}
