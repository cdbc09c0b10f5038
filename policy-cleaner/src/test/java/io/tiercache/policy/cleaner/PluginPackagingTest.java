package io.tiercache.policy.cleaner;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import io.tiercache.arch.ArchitectureRules;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The jar carries smq's engine but registers only "cleaner", and uses only the SPI. */
class PluginPackagingTest {
    @Test
    void onlyTheCleanerIsIndexed() throws Exception {
        Path idx = Path.of("target/classes/META-INF/extensions.idx");
        assertThat(Files.readAllLines(idx).stream().filter(l -> !l.startsWith("#")))
                .containsExactly("io.tiercache.policy.cleaner.CleanerPolicyFactory");
    }

    @Test
    void theSmqEngineIsEmbeddedWithoutItsFactories() {
        Path smq = Path.of("target/classes/io/tiercache/policy/smq");
        assertThat(smq.resolve("SmqPolicy.class")).exists();
        assertThat(smq.resolve("SmqPolicyFactory.class")).doesNotExist();
    }

    @Test
    void thePluginDependsOnlyOnTheSpi() {
        var classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.tiercache.policy.cleaner");
        ArchitectureRules.PLUGINS_USE_ONLY_THE_SPI.check(classes);
    }
}
