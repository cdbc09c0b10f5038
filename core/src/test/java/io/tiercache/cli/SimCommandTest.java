package io.tiercache.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.tiercache.core.plugin.fixture.EchoPolicyFactory;
import io.tiercache.core.sim.SharedTraces;
import io.tiercache.spi.policy.CachePolicyFactory;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pf4j.test.PluginJar;
import picocli.CommandLine;

/** {@code tiercache sim} as a user runs it, with built-in, packaged and dropped-in policies. */
class SimCommandTest {
    @TempDir
    Path dir;

    record Run(int status, String out, String err) {}

    private static Run sim(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(new TiercacheCommand());
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        List<String> all = new ArrayList<>(List.of("sim"));
        all.addAll(List.of(args));
        return new Run(cl.execute(all.toArray(String[]::new)), out.toString(), err.toString());
    }

    private Path emptyPlugins() throws IOException {
        return Files.createDirectories(dir.resolve("plugins"));
    }

    @Test
    void lruReproducesTheReferenceFigures() throws Exception {
        Run r = sim("--plugins", emptyPlugins().toString(), "--policy", "lru", "--cache-blocks", "1%",
                "--trace", SharedTraces.file("zipf_a1.0_small").toString());
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out()).contains("cache_blocks:            344", "origin_blocks:           50000",
                "hits:                    131538", "promotions:              168462", "demotions:               168118",
                "writebacks:              0", "dirty_at_end:            0");
    }

    @Test
    void jsonOutputIsOneObject() throws Exception {
        Run r = sim("--plugins", emptyPlugins().toString(), "--policy", "lru", "--cache-blocks", "2025",
                "--trace", SharedTraces.file("shift_small").toString(), "--json");
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out().strip()).startsWith("{\"policy\": \"lru\"").endsWith("}")
                .contains("\"hits\": 218065", "\"promotions\": 181935", "\"hit_ratio\": 0.5452");
    }

    @Test
    void aTraceWithoutManifestIsSizedByItsLargestBlock() throws Exception {
        Path trace = dir.resolve("t.trace");
        Files.writeString(trace, "# comment\nR 1\nW 7\n\nR 1\nW 7\nR 3\n");
        Run r = sim("--plugins", emptyPlugins().toString(), "--policy", "lru", "--cache-blocks", "2",
                "--trace", trace.toString());
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out()).contains("origin_blocks:           8", "accesses:                5", "hits:                    2",
                "writes:                  2");
    }

    @Test
    void unknownPoliciesAndBadArgumentsFailAsTheKernelSays() throws Exception {
        String trace = SharedTraces.file("zipf_a1.0_small").toString();
        Run unknown = sim("--plugins", emptyPlugins().toString(), "--policy", "nope", "--cache-blocks", "10",
                "--trace", trace);
        assertThat(unknown.status()).isEqualTo(1);
        assertThat(unknown.err()).startsWith("tiercache sim: Error creating cache's policy").contains("lru");
        Run badArg = sim("--plugins", emptyPlugins().toString(), "--policy", "lru", "--policy-arg", "x=1",
                "--cache-blocks", "10", "--trace", trace);
        assertThat(badArg.status()).isEqualTo(1);
        assertThat(badArg.err()).contains("Error setting cache policy's config values", "bad config value for x: 1");
        Run noFile = sim("--policy", "lru", "--cache-blocks", "10", "--trace", dir.resolve("missing").toString());
        assertThat(noFile.err()).contains("no trace file");
    }

    @Test
    void aPolicyJarDroppedIntoThePluginsFolderIsUsed() throws Exception {
        Path plugins = emptyPlugins();
        new PluginJar.Builder(plugins.resolve("echo.jar"), "echo-policy").pluginVersion("1.0.0")
                .manifestAttribute("Plugin-Requires", ">=1.0.0 & <2.0.0")
                .extension(EchoPolicyFactory.class.getName()).build();
        Run r = sim("--plugins", plugins.toString(), "--policy", "echo", "--policy-arg", "colour=blue",
                "--cache-blocks", "5%", "--trace", SharedTraces.file("zipf_a1.0_small").toString());
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out()).contains("policy:                  echo", "hits:                    0",
                "promotions:              0");
    }

    /** The example under examples/policy-random, compiled and packaged here as its own build would. */
    @Test
    void theRandomExampleBuiltOutsideTheMainBuildIsDiscoveredAndUsed() throws Exception {
        Path plugins = emptyPlugins();
        buildExample(plugins.resolve("policy-random.jar"));
        Run r = sim("--plugins", plugins.toString(), "--policy", "random", "--policy-arg", "seed=42",
                "--cache-blocks", "5%", "--trace", SharedTraces.file("zipf_a1.0_small").toString(), "--json");
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out()).contains("\"policy\": \"random\"", "\"residency\": 1719");
        long hits = Long.parseLong(r.out().replaceAll(".*\"hits\": (\\d+).*\\s*", "$1"));
        long promotions = Long.parseLong(r.out().replaceAll(".*\"promotions\": (\\d+).*\\s*", "$1"));
        assertThat(hits).isPositive();
        assertThat(promotions).as("every miss is promoted").isEqualTo(300_000 - hits);
    }

    private static Path exampleRoot() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("examples/policy-random/src"))) {
                return p.resolve("examples/policy-random");
            }
        }
        throw new IllegalStateException("examples/policy-random not found");
    }

    private static String location(Class<?> c) throws URISyntaxException {
        return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    }

    private void buildExample(Path jar) throws Exception {
        Path root = exampleRoot();
        Path classes = Files.createDirectories(dir.resolve("random-classes"));
        List<String> sources;
        try (Stream<Path> s = Files.walk(root.resolve("src/main/java"))) {
            sources = s.filter(p -> p.toString().endsWith(".java")).map(Path::toString).toList();
        }
        String spi = location(CachePolicyFactory.class);
        String pf4j = location(org.pf4j.Extension.class);
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        List<String> args = new ArrayList<>(List.of("--release", "25", "-d", classes.toString(),
                "-classpath", spi + java.io.File.pathSeparator + pf4j, "-processorpath", pf4j,
                "-processor", "org.pf4j.processor.ExtensionAnnotationProcessor"));
        args.addAll(sources);
        var log = new java.io.ByteArrayOutputStream();
        int rc = javac.run(null, OutputStream.nullOutputStream(), log, args.toArray(String[]::new));
        assertThat(rc).as("javac " + log).isZero();
        assertThat(classes.resolve("META-INF/extensions.idx")).exists();

        Manifest m = new Manifest();
        Attributes a = m.getMainAttributes();
        a.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        a.putValue("Plugin-Id", "random-policy");
        a.putValue("Plugin-Version", "1.0.0");
        a.putValue("Plugin-Requires", ">=1.0.0 & <2.0.0");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), m);
                Stream<Path> files = Files.walk(classes)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                out.putNextEntry(new JarEntry(classes.relativize(f).toString().replace('\\', '/')));
                out.write(Files.readAllBytes(f));
                out.closeEntry();
            }
        }
        assertThat(new String(Files.readAllBytes(classes.resolve("META-INF/extensions.idx")), StandardCharsets.UTF_8))
                .contains("com.example.tiercache.random.RandomPolicyFactory");
    }
}
