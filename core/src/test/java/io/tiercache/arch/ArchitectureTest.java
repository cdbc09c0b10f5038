package io.tiercache.arch;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tngtech.archunit.core.domain.JavaClasses;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Core's own classes keep the module rules, and each rule catches a violating fixture. */
class ArchitectureTest {
    private static JavaClasses production;
    private static JavaClasses violating;

    @BeforeAll
    static void importClasses() {
        production = ArchitectureRules.productionClasses();
        violating = ArchitectureRules.violatingClasses();
    }

    @Test
    void coreImportsNoPlugin() {
        ArchitectureRules.CORE_IMPORTS_NO_PLUGIN.check(production);
    }

    @Test
    void spiIsSelfContained() {
        ArchitectureRules.SPI_IS_SELF_CONTAINED.check(production);
    }

    @Test
    void nettyStaysOutOfCore() {
        ArchitectureRules.NETTY_ONLY_IN_FRONTEND_NBD.check(production);
    }

    @Test
    void noFieldInjection() {
        ArchitectureRules.NO_FIELD_INJECTION.check(production);
    }

    @Test
    void modeSwitchChecksRunOnlyInPreresume() {
        ArchitectureRules.MODE_SWITCH_CHECKS_ONLY_IN_PRERESUME.check(production);
        ArchitectureRules.MODE_SWITCH_CHECKS_ARE_STATIC.check(production);
    }

    @Test
    void modeSwitchCheckFromAConstructorIsCaught() {
        assertThatThrownBy(() -> ArchitectureRules.MODE_SWITCH_CHECKS_ONLY_IN_PRERESUME.check(
                ArchitectureRules.modeSwitchFixture()))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("refusePassthroughAfterUncleanShutdown")
                .hasMessageContaining("is reached from the constructor")
                .hasMessageContaining("ModeSwitchFromConstructor.<init>")
                .hasMessageContaining("is reached from the message handler")
                .hasMessageContaining("ModeSwitchFromMessage.message");
    }

    @Test
    void coreImportingAPluginIsCaught() {
        assertThatThrownBy(() -> ArchitectureRules.CORE_IMPORTS_NO_PLUGIN.check(violating))
                .isInstanceOf(AssertionError.class).hasMessageContaining("CoreImportingAPlugin");
    }

    @Test
    void pluginReachingIntoCoreIsCaught() {
        assertThatThrownBy(() -> ArchitectureRules.PLUGINS_USE_ONLY_THE_SPI.check(violating))
                .isInstanceOf(AssertionError.class).hasMessageContaining("PolicyReachingIntoCore")
                .hasMessageContaining("DeviceMapper");
    }

    @Test
    void nettyInCoreIsCaught() {
        assertThatThrownBy(() -> ArchitectureRules.NETTY_ONLY_IN_FRONTEND_NBD.check(violating))
                .isInstanceOf(AssertionError.class).hasMessageContaining("CoreUsingNetty");
    }

    @Test
    void fieldInjectionIsCaught() {
        assertThatThrownBy(() -> ArchitectureRules.NO_FIELD_INJECTION.check(violating))
                .isInstanceOf(AssertionError.class).hasMessageContaining("FieldInjected");
    }

    @Test
    void spiDependingOnCoreIsCaught() {
        assertThatThrownBy(() -> ArchitectureRules.SPI_IS_SELF_CONTAINED.check(violating))
                .isInstanceOf(AssertionError.class).hasMessageContaining("SpiLeakingCore");
    }
}
