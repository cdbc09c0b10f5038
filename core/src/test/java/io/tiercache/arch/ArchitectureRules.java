package io.tiercache.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.methods;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import io.tiercache.core.cache.ModeSwitchChecks;

/**
 * The module boundaries, as rules every module's tests (and the distribution's, which sees all
 * modules at once) check. Each rule also has a test proving it catches a violating class.
 */
public final class ArchitectureRules {
    /** Packages of plugin modules: policies, metadata formats, frontends. */
    public static final String[] PLUGIN_PACKAGES = {"io.tiercache.policy..", "io.tiercache.format..",
        "io.tiercache.frontend.."};

    private ArchitectureRules() {}

    /** Core (engine, CLI, SPI) never imports a plugin: plugins are found at run time only. */
    public static final ArchRule CORE_IMPORTS_NO_PLUGIN = noClasses()
            .that().resideInAnyPackage("io.tiercache.core..", "io.tiercache.spi..", "io.tiercache.cli..")
            .should().dependOnClassesThat().resideInAnyPackage(PLUGIN_PACKAGES)
            .because("core must run with any set of plugins, and plugins are loaded by PF4J");

    /** A plugin uses only the SPI, its own classes, the JDK and the libraries the host shares. */
    public static final ArchRule PLUGINS_USE_ONLY_THE_SPI = classes()
            .that().resideInAnyPackage(PLUGIN_PACKAGES)
            .should().onlyDependOnClassesThat().resideInAnyPackage(
                    "io.tiercache.spi..", "io.tiercache.policy..", "io.tiercache.format..", "io.tiercache.frontend..",
                    "java..", "javax.net..", "javax.annotation..", "org.pf4j..", "org.slf4j..", "jakarta.inject..",
                    "io.netty..", "com.github.benmanes.caffeine..")
            .because("the SPI is the versioned contract; everything else in core may change any day");

    /**
     * The SPI itself depends on nothing of core's engine. Its persistent-data library (the
     * counterpart of the kernel's persistent-data, which format plugins build on) keeps its metadata
     * block cache on Caffeine, which the host shares with plugins.
     */
    public static final ArchRule SPI_IS_SELF_CONTAINED = classes()
            .that().resideInAPackage("io.tiercache.spi..")
            .should().onlyDependOnClassesThat().resideInAnyPackage("io.tiercache.spi..", "java..", "org.pf4j..",
                    "com.github.benmanes.caffeine..", "org.slf4j..")
            .because("plugins compile against the SPI alone");

    /** Netty belongs to the NBD frontend; core and other plugins stay transport-free. */
    public static final ArchRule NETTY_ONLY_IN_FRONTEND_NBD = noClasses()
            .that().resideOutsideOfPackage("io.tiercache.frontend.nbd..")
            .and().resideInAPackage("io.tiercache..")
            .should().dependOnClassesThat().resideInAPackage("io.netty..")
            .because("the I/O engine must not depend on one network stack");

    /** Constructor injection only. */
    public static final ArchRule NO_FIELD_INJECTION = com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noFields()
            .should().beAnnotatedWith("jakarta.inject.Inject")
            .orShould().beAnnotatedWith("com.google.inject.Inject")
            .because("dependencies are constructor arguments, final and visible");

    /**
     * The mode-switch safety checks (passthrough cleanliness, clean-when-opened, sized-but-not-loaded)
     * run only on the cache target's preresume path: after the old table's postsuspend has written
     * its last dirty bits. At construction they would judge a state the still-live old table keeps
     * changing (upstream 322586745bd1); from a message handler they would judge a running table.
     * The rule follows every call back, transitively, to {@code CacheTarget.preresume}.
     */
    public static final ArchRule MODE_SWITCH_CHECKS_ONLY_IN_PRERESUME = methods()
            .that().areDeclaredIn(ModeSwitchChecks.class).and().arePublic()
            .should(PreresumePathCondition.onlyReachedFrom("io.tiercache.core.cache.CacheTarget", "preresume"))
            .because("mode-switch checks judge the metadata as the old table left it at postsuspend");

    /** The checks stay static methods of a final class, so that every call is one the rule can follow. */
    public static final ArchRule MODE_SWITCH_CHECKS_ARE_STATIC = methods()
            .that().areDeclaredIn(ModeSwitchChecks.class).and().arePublic()
            .should().beStatic()
            .andShould().beDeclaredInClassesThat().haveModifier(JavaModifier.FINAL)
            .because("calls through instances or interfaces would hide the caller from the preresume rule");

    /** tiercache's production classes on the class path (main code only). */
    public static JavaClasses productionClasses() {
        return new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                // core's test-jar (on the distribution's test class path) holds the violating fixtures
                .withImportOption(location -> !location.contains("-tests.jar"))
                .importPackages("io.tiercache");
    }

    /** The violating fixtures together with the cache target, for the preresume rule. */
    public static JavaClasses modeSwitchFixture() {
        return new ClassFileImporter().importPackages("io.tiercache.core.violating", "io.tiercache.core.cache");
    }

    /** The deliberately bad classes of {@code io.tiercache.*.violating} packages in core's tests. */
    public static JavaClasses violatingClasses() {
        return new ClassFileImporter().importPackages("io.tiercache.core.violating", "io.tiercache.policy.violating",
                "io.tiercache.spi.violating");
    }
}
