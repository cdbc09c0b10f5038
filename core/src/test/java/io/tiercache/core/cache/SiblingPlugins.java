package io.tiercache.core.cache;

import static org.assertj.core.api.Assertions.fail;

import io.tiercache.core.metadata.MetadataFormats;
import io.tiercache.core.policy.PolicyRegistry;
import io.tiercache.spi.ExtensionName;
import io.tiercache.spi.metadata.MetadataFormat;
import io.tiercache.spi.policy.CachePolicyFactory;
import java.io.File;
import java.io.IOException;
import java.io.ByteArrayOutputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/**
 * The real policies (smq, mq, default, cleaner) and metadata formats (1, 2) for core's cache tests,
 * compiled from the sibling modules' sources against this build of core. Core's tests run before
 * those modules are packaged (Maven builds core first), and core must not depend on plugins, so the
 * tests compile them once per JVM into {@code target/sibling-plugins} and load them in a child class
 * loader, as the plugin manager would. Public for the tests of other core packages (the offline
 * tools' writeback needs the real formats too).
 */
public final class SiblingPlugins {
    private static final String[] MODULES = {"policy-smq", "policy-cleaner", "format-v1", "format-v2"};
    private static SiblingPlugins loaded;

    private final Map<String, CachePolicyFactory> policies = new TreeMap<>();
    private final Map<String, MetadataFormat> formats = new TreeMap<>();

    private SiblingPlugins() {}

    public static synchronized SiblingPlugins get() {
        if (loaded == null) {
            try {
                loaded = load();
            } catch (Exception e) {
                throw new IllegalStateException("cannot build the sibling plugins: " + e, e);
            }
        }
        return loaded;
    }

    PolicyRegistry policyRegistry() {
        return new PolicyRegistry(policies);
    }

    public MetadataFormats metadataFormats() {
        return new MetadataFormats(formats);
    }

    private static SiblingPlugins load() throws Exception {
        Path root = Path.of("").toAbsolutePath().getParent();
        List<Path> sources = new ArrayList<>();
        for (String m : MODULES) {
            Path dir = root.resolve(m).resolve("src/main/java");
            if (!Files.isDirectory(dir)) {
                fail(dir + " is missing: core's cache tests compile the plugin modules' sources");
            }
            try (Stream<Path> s = Files.walk(dir)) {
                s.filter(p -> p.toString().endsWith(".java")).forEach(sources::add);
            }
        }
        Path out = Path.of("target", "sibling-plugins", Long.toString(ProcessHandle.current().pid()));
        Files.createDirectories(out);
        compile(sources, out);
        SiblingPlugins plugins = new SiblingPlugins();
        URLClassLoader loader = new URLClassLoader(new URL[] {out.toUri().toURL()}, SiblingPlugins.class.getClassLoader());
        try (Stream<Path> s = Files.walk(out)) {
            for (Path p : s.filter(f -> f.toString().endsWith(".class")).toList()) {
                String name = out.relativize(p).toString().replace(File.separatorChar, '.').replaceFirst("\\.class$", "");
                plugins.register(loader.loadClass(name));
            }
        }
        return plugins;
    }

    private static void compile(List<Path> sources, Path out) throws IOException {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        List<String> args = new ArrayList<>(List.of("-proc:none", "-nowarn", "-d", out.toString(), "-cp",
                System.getProperty("java.class.path")));
        sources.forEach(p -> args.add(p.toString()));
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int rc = javac.run(null, null, err, args.toArray(String[]::new));
        if (rc != 0) {
            fail("compiling the plugin sources failed:\n" + err.toString(StandardCharsets.UTF_8));
        }
    }

    private void register(Class<?> cls) throws ReflectiveOperationException {
        ExtensionName name = cls.getAnnotation(ExtensionName.class);
        if (name == null || cls.isInterface() || java.lang.reflect.Modifier.isAbstract(cls.getModifiers())) {
            return;
        }
        Object o = cls.getDeclaredConstructor().newInstance();
        if (o instanceof CachePolicyFactory f) {
            policies.put(name.value(), f);
        } else if (o instanceof MetadataFormat f) {
            formats.put(name.value(), f);
        }
    }
}
