package io.tiercache.core.daemon;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * The daemon's settings: command-line flags over {@code conf/tiercache.properties} over built-in
 * defaults. Relative paths in the file are resolved against the installation folder
 * ({@code TIERCACHE_HOME}); relative paths on the command line against the working directory.
 *
 * @param control the control socket
 * @param nbdListen {@code HOST:PORT} of the NBD TCP listener, or empty for none
 * @param nbdSocket the NBD unix socket, if any
 * @param state where device tables are kept across restarts
 * @param plugins the plugins folder
 * @param extra every other {@code key=value} of the file (frontend settings and the like)
 */
public record DaemonConfig(Path control, String nbdListen, Optional<Path> nbdSocket, Path state, Path plugins,
        Map<String, String> extra) {
    public static final String CONTROL_ENV = "TIERCACHE_CONTROL";

    /** The installation folder, from the launcher, or the working directory. */
    public static Path home() {
        String h = System.getenv("TIERCACHE_HOME");
        return h == null || h.isBlank() ? Path.of("").toAbsolutePath() : Path.of(h).toAbsolutePath();
    }

    /** The settings file's {@code key=value}s (empty if there is none). */
    public static Properties file() {
        Properties p = new Properties();
        String explicit = System.getenv("TIERCACHE_CONF");
        Path f = explicit != null ? Path.of(explicit) : home().resolve("conf/tiercache.properties");
        if (Files.isRegularFile(f)) {
            try (InputStream in = Files.newInputStream(f)) {
                p.load(in);
            } catch (IOException e) {
                throw new IllegalArgumentException("cannot read " + f + ": " + e.getMessage(), e);
            }
        }
        return p;
    }

    /**
     * The control socket the CLI and the daemon agree on: {@code --control}, else
     * {@code $TIERCACHE_CONTROL}, else the settings file's {@code control}, else a per-user default.
     */
    public static Path controlSocket(Optional<Path> flag, Properties file) {
        if (flag.isPresent()) {
            return flag.get().toAbsolutePath();
        }
        String env = System.getenv(CONTROL_ENV);
        if (env != null && !env.isBlank()) {
            return Path.of(env).toAbsolutePath();
        }
        String conf = file.getProperty("control");
        if (conf != null && !conf.isBlank()) {
            return home().resolve(conf.strip());
        }
        String runtime = System.getenv("XDG_RUNTIME_DIR");
        if (runtime != null && !runtime.isBlank()) {
            return Path.of(runtime, "tiercache", "control.sock");
        }
        return Path.of(System.getProperty("java.io.tmpdir"), "tiercache-" + System.getProperty("user.name"),
                "control.sock");
    }

    /** Builds the settings from flags (empty = not given) and the settings file. */
    public static DaemonConfig resolve(Optional<Path> control, Optional<String> nbdListen, Optional<Path> nbdSocket,
            Optional<Path> state, Optional<Path> plugins, Properties file) {
        Path home = home();
        Map<String, String> extra = new java.util.TreeMap<>();
        file.stringPropertyNames().forEach(k -> extra.put(k, file.getProperty(k).strip()));
        String listen = nbdListen.orElse(extra.getOrDefault("nbd.listen", "127.0.0.1:10809"));
        Optional<Path> sock = nbdSocket.map(Path::toAbsolutePath)
                .or(() -> Optional.ofNullable(extra.get("nbd.socket")).filter(s -> !s.isBlank()).map(home::resolve));
        Path st = state.map(Path::toAbsolutePath).orElseGet(() -> home.resolve(extra.getOrDefault("state", "var/state")));
        Path pl = plugins.map(Path::toAbsolutePath).orElseGet(() -> home.resolve(extra.getOrDefault("plugins", "plugins")));
        return new DaemonConfig(controlSocket(control, file), listen, sock, st, pl, extra);
    }
}
