package io.tiercache.core.dm;

import static org.assertj.core.api.Assertions.assertThat;

import io.tiercache.core.dm.targets.LinearTarget;
import io.tiercache.core.dm.targets.ZeroTarget;
import java.io.RandomAccessFile;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Export.reportsZeroes follows the live table: a frontend skips asking for holes where none can be. */
class ReportsZeroesTest {
    @TempDir
    Path dir;

    @Test
    void onlyATableWithATargetThatKnowsZeroesSaysSoAndAReloadChangesTheAnswer() throws Exception {
        Path file = dir.resolve("disk");
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.setLength(1 << 20);
        }
        DeviceMapper dm = new DeviceMapper(new TargetRegistry(Map.of("linear", new LinearTarget.Type(), "zero",
                new ZeroTarget.Type())));
        dm.create("d", Optional.of("0 2048 linear " + file + " 0"));
        try (DeviceHandle h = dm.openForIo("d").orElseThrow()) {
            assertThat(h.reportsZeroes()).isFalse();
            dm.load("d", "0 1024 linear " + file + " 0\n1024 1024 zero");
            assertThat(h.reportsZeroes()).as("an inactive table changes nothing").isFalse();
            dm.resume("d");
            assertThat(h.reportsZeroes()).isTrue();
        }
        dm.remove("d");
    }
}
