package io.tiercache.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The unpacked distribution and its tarball: layout, plugin descriptors, one copy of the SPI. */
class PackagingIT {
    private static final Path HOME = DaemonProcess.HOME;

    private static List<Path> list(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.sorted().toList();
        }
    }

    @Test
    void theFolderHasTheLauncherConfigLibsAndPlugins() throws IOException {
        assertThat(Files.isExecutable(HOME.resolve("bin/tiercache"))).isTrue();
        assertThat(HOME.resolve("conf/tiercache.properties")).exists();
        assertThat(HOME.resolve("conf/logback.xml")).exists();
        assertThat(HOME.resolve("conf/jvm.options")).exists();
        assertThat(list(HOME.resolve("lib")).stream().map(p -> p.getFileName().toString()))
                .anyMatch(n -> n.startsWith("tiercache-core-")).anyMatch(n -> n.startsWith("netty-transport-"))
                .noneMatch(n -> n.contains("policy") || n.contains("format") || n.contains("frontend"));
    }

    @Test
    void everyPluginJarHasAUniqueDescriptorAndNoCopyOfTheSpi() throws IOException {
        Set<String> ids = new TreeSet<>();
        for (Path jar : list(HOME.resolve("plugins"))) {
            try (JarFile j = new JarFile(jar.toFile())) {
                Manifest m = j.getManifest();
                String id = m.getMainAttributes().getValue("Plugin-Id");
                assertThat(id).as(jar + " Plugin-Id").isNotBlank().doesNotContain("maven");
                assertThat(ids.add(id)).as("duplicate plugin id " + id).isTrue();
                assertThat(m.getMainAttributes().getValue("Plugin-Requires")).isEqualTo(">=1.1.0 & <2.0.0");
                assertThat(m.getMainAttributes().getValue("Plugin-Version")).isNotBlank();
                assertThat(j.stream().map(e -> e.getName()))
                        .as(jar + " must not bundle the SPI, PF4J or Netty")
                        .noneMatch(n -> n.startsWith("io/tiercache/spi/") || n.startsWith("org/pf4j/")
                                || n.startsWith("io/netty/"));
            }
        }
        assertThat(ids).containsExactlyInAnyOrder("smq-policy", "cleaner-policy", "metadata-format-v1",
                "metadata-format-v2", "nbd-frontend");
    }

    @Test
    void theNbdFrontendJarIndexesItsExtension() throws IOException {
        try (JarFile j = new JarFile(HOME.resolve("plugins/tiercache-frontend-nbd.jar").toFile())) {
            var idx = j.getEntry("META-INF/extensions.idx");
            assertThat(idx).as("PF4J's annotation processor ran").isNotNull();
            String text = new String(j.getInputStream(idx).readAllBytes());
            assertThat(text).contains("io.tiercache.frontend.nbd.NbdFrontend");
        }
    }

    @Test
    void theTarballHoldsTheSameFilesUnderOneFolder() throws Exception {
        Path tarball;
        try (Stream<Path> s = Files.list(HOME.getParent())) {
            tarball = s.filter(p -> p.getFileName().toString().endsWith(".tar.gz")).findFirst().orElseThrow();
        }
        Proc tar = Proc.run(HOME.getParent(), List.of("tar", "tzf", tarball.toString())).ok();
        List<String> entries = new ArrayList<>(tar.out().lines().filter(l -> !l.endsWith("/")).toList());
        String top = entries.getFirst().substring(0, entries.getFirst().indexOf('/') + 1);
        assertThat(entries).allMatch(e -> e.startsWith(top));
        Set<String> inTar = new TreeSet<>(entries.stream().map(e -> e.substring(top.length())).toList());
        Set<String> inFolder = new TreeSet<>();
        try (Stream<Path> s = Files.walk(HOME)) {
            s.filter(Files::isRegularFile).forEach(p -> inFolder.add(HOME.relativize(p).toString()));
        }
        assertThat(inTar).isEqualTo(inFolder);
    }
}
