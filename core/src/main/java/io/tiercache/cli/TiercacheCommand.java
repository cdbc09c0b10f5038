package io.tiercache.cli;

import io.tiercache.core.control.ControlClient;
import io.tiercache.core.control.Response;
import io.tiercache.core.daemon.DaemonConfig;
import io.tiercache.spi.SpiVersion;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * {@code tiercache}: the daemon, and the dmsetup-like verbs that drive it over the control socket.
 * Each verb here only shapes a request; the daemon renders the output (so every client reads the
 * same text) and this prints it and exits with the daemon's status. Offline tools (check, dump,
 * restore, ...) will be further subcommands that need no daemon.
 */
@Command(name = "tiercache", mixinStandardHelpOptions = true, versionProvider = TiercacheCommand.Version.class,
        description = "A userspace dm-cache: run the daemon, or manage its devices the way dmsetup does.",
        subcommands = {DaemonCommand.class, SimCommand.class, CheckCommand.class, DumpCommand.class, RestoreCommand.class,
            RepairCommand.class, MetadataSizeCommand.class, WritebackCommand.class, HelpCommand.class})
public final class TiercacheCommand {
    @Spec
    private CommandSpec spec;

    @Option(names = "--control", paramLabel = "PATH", scope = ScopeType.INHERIT,
            description = "The control socket (default: $TIERCACHE_CONTROL, the settings file, or a per-user path).")
    private Path control;

    private final InputStream stdin;

    public TiercacheCommand() {
        this(System.in);
    }

    /** With the stream tables are read from when {@code --table} is not given (tests pass their own). */
    public TiercacheCommand(InputStream stdin) {
        this.stdin = stdin;
    }

    /** The {@code --control} flag as given, for {@link DaemonCommand}. */
    Optional<Path> controlFlag() {
        return Optional.ofNullable(control);
    }

    @Command(name = "create", mixinStandardHelpOptions = true,
            description = "Create a device; with a table (--table, else stdin), load it and resume.")
    int create(@Parameters(paramLabel = "NAME") String name,
            @Option(names = "--table", paramLabel = "TABLE", description = "The table, one line per target.") String table,
            @Option(names = "--notable", description = "Create the device without a table.") boolean notable)
            throws IOException {
        List<String> options = notable ? List.of("--notable") : List.of("--table", tableText(table));
        return send("create", options, name);
    }

    @Command(name = "load", mixinStandardHelpOptions = true,
            description = "Load a table (--table, else stdin) into the device's inactive slot.")
    int load(@Parameters(paramLabel = "NAME") String name,
            @Option(names = "--table", paramLabel = "TABLE", description = "The table, one line per target.") String table)
            throws IOException {
        return send("load", List.of("--table", tableText(table)), name);
    }

    @Command(name = "reload", mixinStandardHelpOptions = true, description = "Same as load.")
    int reload(@Parameters(paramLabel = "NAME") String name,
            @Option(names = "--table", paramLabel = "TABLE", description = "The table, one line per target.") String table)
            throws IOException {
        return send("reload", List.of("--table", tableText(table)), name);
    }

    @Command(name = "suspend", mixinStandardHelpOptions = true, description = "Suspend a device.")
    int suspend(@Parameters(paramLabel = "NAME") String name,
            @Option(names = "--noflush", description = "Hold back queued I/O instead of flushing it.") boolean noflush) {
        return send("suspend", noflush ? List.of("--noflush") : List.of(), name);
    }

    @Command(name = "resume", mixinStandardHelpOptions = true,
            description = "Resume a device, swapping in its inactive table if it has one.")
    int resume(@Parameters(paramLabel = "NAME") String name) {
        return send("resume", List.of(), name);
    }

    @Command(name = "remove", mixinStandardHelpOptions = true, description = "Remove a device.")
    int remove(@Parameters(paramLabel = "NAME") String name) {
        return send("remove", List.of(), name);
    }

    @Command(name = "clear", mixinStandardHelpOptions = true, description = "Destroy a device's inactive table.")
    int clear(@Parameters(paramLabel = "NAME") String name) {
        return send("clear", List.of(), name);
    }

    @Command(name = "status", mixinStandardHelpOptions = true, description = "Show the targets' status.")
    int status(@Parameters(paramLabel = "NAME", arity = "0..1") String name) {
        return send("status", List.of(), optional(name));
    }

    @Command(name = "table", mixinStandardHelpOptions = true, description = "Show the live (or inactive) table.")
    int table(@Parameters(paramLabel = "NAME", arity = "0..1") String name,
            @Option(names = "--inactive", description = "Show the inactive table.") boolean inactive) {
        return send("table", inactive ? List.of("--inactive") : List.of(), optional(name));
    }

    @Command(name = "info", mixinStandardHelpOptions = true, description = "Show a device's state.")
    int info(@Parameters(paramLabel = "NAME", arity = "0..1") String name) {
        return send("info", List.of(), optional(name));
    }

    @Command(name = "message", mixinStandardHelpOptions = true,
            description = "Send a message to the live target that holds SECTOR.")
    int message(@Parameters(index = "0", paramLabel = "NAME") String name,
            @Parameters(index = "1", paramLabel = "SECTOR") long sector,
            @Parameters(index = "2..*", arity = "1..*", paramLabel = "WORD") List<String> words) {
        List<String> args = new ArrayList<>(List.of(name, Long.toString(sector)));
        args.addAll(words);
        return send("message", List.of(), args.toArray(String[]::new));
    }

    @Command(name = "ls", mixinStandardHelpOptions = true, description = "List the devices.")
    int ls() {
        return send("ls", List.of());
    }

    @Command(name = "targets", mixinStandardHelpOptions = true, description = "List the target types.")
    int targets() {
        return send("targets", List.of());
    }

    @Command(name = "metrics", mixinStandardHelpOptions = true,
            description = "Print the daemon's metrics in Prometheus text format (as its metrics endpoint serves them).")
    int metrics() {
        return send("metrics", List.of());
    }

    @Command(name = "wait", mixinStandardHelpOptions = true,
            description = "Wait until the device's event number exceeds EVENT (default 0).")
    int waitEvent(@Parameters(index = "0", paramLabel = "NAME") String name,
            @Parameters(index = "1", arity = "0..1", paramLabel = "EVENT") Long event,
            @Option(names = {"-v", "--verbose"}, description = "Print the event number reached.") boolean verbose) {
        return send("wait", verbose ? List.of("--verbose") : List.of(), name, event == null ? "0" : event.toString());
    }

    /** {@code --table} if given, else stdin (one line per target), as dmsetup reads it. */
    private String tableText(String option) throws IOException {
        return option != null ? option : new String(stdin.readAllBytes(), StandardCharsets.UTF_8);
    }

    private static String[] optional(String name) {
        return name == null ? new String[0] : new String[] {name};
    }

    /**
     * Sends verb, options, {@code --}, positionals (so a positional that starts with a dash stays one),
     * prints the daemon's answer and returns its exit status.
     */
    private int send(String verb, List<String> options, String... positionals) {
        List<String> words = new ArrayList<>();
        words.add(verb);
        words.addAll(options);
        words.add("--");
        words.addAll(List.of(positionals));
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        ControlClient client;
        try {
            client = new ControlClient(DaemonConfig.controlSocket(controlFlag(), DaemonConfig.file()));
        } catch (IllegalArgumentException e) { // an unreadable settings file
            err.println("tiercache: " + e.getMessage());
            err.flush();
            return Response.FAILED;
        }
        try {
            Response r = client.call(words);
            out.print(r.out());
            out.flush();
            err.print(r.err());
            err.flush();
            return r.status();
        } catch (ControlClient.UnreachableException e) {
            err.println("tiercache: cannot reach the daemon at " + client.socket() + ": " + e.getMessage()
                    + " (is 'tiercache daemon' running?)");
        } catch (IOException e) {
            err.println("tiercache: lost the connection to the daemon at " + client.socket() + ": " + e.getMessage());
        }
        err.flush();
        return Response.FAILED;
    }

    /** {@code --version}: the build's release. */
    static final class Version implements IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"tiercache " + SpiVersion.tiercache()};
        }
    }
}
