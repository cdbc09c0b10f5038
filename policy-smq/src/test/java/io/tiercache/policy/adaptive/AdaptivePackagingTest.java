package io.tiercache.policy.adaptive;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import io.tiercache.arch.ArchitectureRules;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The adaptive factory is indexed for PF4J next to smq's, and the policy uses only the SPI. */
class AdaptivePackagingTest {
    @Test
    void theAnnotationProcessorIndexedTheFactory() throws Exception {
        Path idx = Path.of("target/classes/META-INF/extensions.idx");
        assertThat(idx).exists();
        assertThat(Files.readAllLines(idx)).contains("io.tiercache.policy.adaptive.AdaptivePolicyFactory");
    }

    @Test
    void thePolicyDependsOnlyOnTheSpi() {
        var classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.tiercache.policy.adaptive");
        assertThat(classes).isNotEmpty();
        ArchitectureRules.PLUGINS_USE_ONLY_THE_SPI.check(classes);
        ArchitectureRules.NO_FIELD_INJECTION.check(classes);
    }
}
