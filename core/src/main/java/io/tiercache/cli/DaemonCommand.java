package io.tiercache.cli;

import io.tiercache.core.control.ControlServer;
import io.tiercache.core.daemon.Daemon;
import io.tiercache.core.daemon.DaemonConfig;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code tiercache daemon}: runs the engine in the foreground, logging to stderr, until SIGTERM or
 * SIGINT, which stop it cleanly (every device suspended, as after {@code dmsetup suspend}).
 */
@Command(name = "daemon", mixinStandardHelpOptions = true,
        description = "Run the engine: serve NBD and listen on the control socket (foreground; stop with SIGTERM).")
final class DaemonCommand implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger("tiercache");

    @ParentCommand
    private TiercacheCommand parent;

    @Option(names = "--nbd-listen", paramLabel = "HOST:PORT",
            description = "NBD TCP listener (default from conf/, else 127.0.0.1:10809).")
    private String nbdListen;

    @Option(names = "--nbd-socket", paramLabel = "PATH", description = "Also serve NBD on this unix socket.")
    private Path nbdSocket;

    @Option(names = "--metrics-listen", paramLabel = "HOST:PORT",
            description = "Serve Prometheus metrics at http://HOST:PORT/metrics (default from conf/: none).")
    private String metricsListen;

    @Option(names = "--state", paramLabel = "DIR", description = "Where device tables are kept across restarts.")
    private Path state;

    @Option(names = "--plugins", paramLabel = "DIR", description = "The plugins folder.")
    private Path plugins;

    @Option(names = "--demo", paramLabel = "DIR",
            description = "Create DIR/demo.img (64 MiB) and a linear device 'demo' over it, to try NBD at once.")
    private Path demo;

    @Override
    public Integer call() throws Exception {
        DaemonConfig config;
        Optional<Path> demoImage;
        try {
            Properties file = DaemonConfig.file();
            if (metricsListen != null) {
                file.setProperty(Daemon.METRICS_LISTEN, metricsListen);
            }
            config = DaemonConfig.resolve(parent.controlFlag(), Optional.ofNullable(nbdListen),
                    Optional.ofNullable(nbdSocket), Optional.ofNullable(state), Optional.ofNullable(plugins), file);
            demoImage = demo == null ? Optional.empty() : Optional.of(DemoDevice.prepare(demo));
        } catch (IllegalArgumentException | java.io.IOException e) {
            LOG.error("tiercache daemon: {}", e.getMessage());
            return 1;
        }
        // Checked before anything is restored: a second daemon must not open the first one's devices
        // (its failed start would suspend them too). ControlServer.start() checks again when binding.
        if (ControlServer.isListening(config.control())) {
            LOG.error("tiercache daemon: a daemon is already listening on {}", config.control());
            return 1;
        }
        Daemon daemon = Daemon.create(config);
        try {
            daemon.start();
        } catch (Exception e) {
            LOG.error("tiercache daemon failed to start: {}", e.getMessage());
            LOG.debug("start failure", e);
            daemon.close();
            return 1;
        }
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().name("tiercache-stop").unstarted(() -> stop(daemon)));
        demoImage.ifPresent(image -> DemoDevice.create(daemon.deviceMapper(), image, config));
        // The daemon's own threads do the work; the shutdown hook ends the process.
        new CountDownLatch(1).await();
        return 0;
    }

    /**
     * On SIGTERM/SIGINT: a clean stop, then exit 0. Without the halt the JVM would report 128+signal,
     * and a clean stop on request is a success, as for any service manager's stop.
     */
    private static void stop(Daemon daemon) {
        int status = 0;
        try {
            LOG.info("stopping on request");
            daemon.close();
        } catch (RuntimeException e) {
            LOG.error("unclean stop", e);
            status = 1;
        }
        Runtime.getRuntime().halt(status);
    }
}
