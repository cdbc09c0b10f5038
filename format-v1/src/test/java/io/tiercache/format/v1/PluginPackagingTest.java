package io.tiercache.format.v1;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import io.tiercache.arch.ArchitectureRules;
import io.tiercache.spi.ExtensionName;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The plugin is indexed for PF4J (a missing index fails silently) and uses only the SPI. */
class PluginPackagingTest {
    @Test
    void theAnnotationProcessorIndexedTheFormat() throws Exception {
        Path idx = Path.of("target/classes/META-INF/extensions.idx");
        assertThat(idx).exists();
        assertThat(Files.readAllLines(idx)).contains("io.tiercache.format.v1.FormatV1");
        assertThat(FormatV1.class.getAnnotation(ExtensionName.class).value()).isEqualTo("1");
        assertThat(new FormatV1().version()).isEqualTo(1);
    }

    @Test
    void thePluginDependsOnlyOnTheSpi() {
        var classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.tiercache.format.v1");
        assertThat(classes).isNotEmpty();
        ArchitectureRules.PLUGINS_USE_ONLY_THE_SPI.check(classes);
        ArchitectureRules.NO_FIELD_INJECTION.check(classes);
    }
}
