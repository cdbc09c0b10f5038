package io.tiercache.format.v1;

import io.tiercache.core.metadata.FormatFixturesContract;
import io.tiercache.spi.metadata.MetadataFormat;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

class FormatV1FixturesTest extends FormatFixturesContract {
    static List<Path> images() throws IOException {
        return imagesOf(1);
    }

    @Override
    protected MetadataFormat format() {
        return new FormatV1();
    }
}
