package io.tiercache.arch;

import com.tngtech.archunit.core.domain.JavaClasses;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The module rules over every module at once: this module has core and all plugin jars on its
 * class path, which no single module has. (Core's own ArchitectureTest proves each rule fails on
 * a violating class.)
 */
class ModuleBoundariesTest {
    private static JavaClasses all;

    @BeforeAll
    static void importEverything() {
        all = ArchitectureRules.productionClasses();
    }

    @Test
    void coreImportsNoPlugin() {
        ArchitectureRules.CORE_IMPORTS_NO_PLUGIN.check(all);
    }

    @Test
    void pluginsUseOnlyTheSpi() {
        ArchitectureRules.PLUGINS_USE_ONLY_THE_SPI.check(all);
    }

    @Test
    void nettyOnlyInTheNbdFrontend() {
        ArchitectureRules.NETTY_ONLY_IN_FRONTEND_NBD.check(all);
    }

    @Test
    void spiIsSelfContained() {
        ArchitectureRules.SPI_IS_SELF_CONTAINED.check(all);
    }

    @Test
    void noFieldInjection() {
        ArchitectureRules.NO_FIELD_INJECTION.check(all);
    }
}
