package io.tiercache.core.control;

import static java.util.Map.entry;

import io.tiercache.core.control.Invocation.Syntax;
import io.tiercache.core.control.Invocation.UsageException;
import io.tiercache.core.dm.DeviceMapper;
import io.tiercache.core.dm.DmException;
import io.tiercache.core.dm.TableParser;
import io.tiercache.core.metrics.DaemonMetrics;
import io.tiercache.spi.block.Errno;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The daemon's side of the CLI: runs one dmsetup-like verb against the {@link DeviceMapper} and
 * renders what dmsetup would print. Lifecycle verbs print nothing on success; a refused ioctl
 * prints {@code device-mapper: <ioctl> ioctl on <NAME> failed: <strerror>} then
 * {@code Command failed} (exit 1), the way libdevmapper reports it.
 */
public final class ControlCommands {
    private static final Logger LOG = LoggerFactory.getLogger(ControlCommands.class);
    /** How long a {@code wait} blocks before checking that its client is still there. */
    static final long WAIT_SLICE_MILLIS = 500;

    private static final Map<String, Syntax> VERBS = Map.ofEntries(
            entry("create", Syntax.of("create NAME [--notable | --table TABLE]", 1, "NAME")
                    .flags("--notable").valued("--table")),
            entry("load", Syntax.of("load NAME [--table TABLE]", 1, "NAME").valued("--table")),
            entry("reload", Syntax.of("reload NAME [--table TABLE]", 1, "NAME").valued("--table")),
            entry("suspend", Syntax.of("suspend [--noflush] NAME", 1, "NAME").flags("--noflush")),
            entry("resume", Syntax.of("resume NAME", 1, "NAME")),
            entry("remove", Syntax.of("remove NAME", 1, "NAME")),
            entry("clear", Syntax.of("clear NAME", 1, "NAME")),
            entry("status", Syntax.of("status [NAME]", 0, "NAME")),
            entry("table", Syntax.of("table [--inactive] [NAME]", 0, "NAME").flags("--inactive")),
            entry("info", Syntax.of("info [NAME]", 0, "NAME")),
            entry("message", Syntax.of("message NAME SECTOR WORD...", 3, "NAME", "SECTOR", "WORD").repeatingLast()),
            entry("ls", Syntax.of("ls", 0)),
            entry("targets", Syntax.of("targets", 0)),
            entry("metrics", Syntax.of("metrics", 0)),
            entry("wait", Syntax.of("wait [-v] NAME [EVENT]", 1, "NAME", "EVENT").flags("--verbose")));

    /** What a running command may ask about the connection it serves. */
    @FunctionalInterface
    public interface Session {
        /** True once the client has hung up (or the server is closing): a blocked wait may stop. */
        boolean clientGone();
    }

    @FunctionalInterface
    private interface Ioctl {
        void run() throws DmException;
    }

    private final DeviceMapper dm;
    private final DaemonMetrics metrics;

    public ControlCommands(DeviceMapper dm, DaemonMetrics metrics) {
        this.dm = dm;
        this.metrics = metrics;
    }

    /** Runs {@code words} (the verb, then its arguments). Never throws: every outcome is a response. */
    public Response execute(List<String> words, Session session) {
        if (words.isEmpty()) {
            return new Response(Response.USAGE, "", "Missing required subcommand\n");
        }
        String verb = words.getFirst();
        Syntax syntax = VERBS.get(verb);
        if (syntax == null) {
            return new Response(Response.USAGE, "", "Unknown command: '" + verb + "'\n");
        }
        try {
            return run(Invocation.parse(verb, syntax, words.subList(1, words.size())), session);
        } catch (UsageException e) {
            return Response.usage(e.getMessage(), syntax.synopsis());
        } catch (RuntimeException e) {
            // A bug must not take the daemon down nor leave the client without an answer.
            LOG.error("control: {} failed unexpectedly", verb, e);
            return Response.failed("tiercache: internal error: " + e);
        }
    }

    private Response run(Invocation in, Session session) throws UsageException {
        String name = in.arg(0).orElse(null);
        return switch (in.verb()) {
            case "create" -> create(name, in.flag("--notable") ? Optional.empty() : in.option("--table"));
            case "load", "reload" -> reload(name, in.option("--table").orElse(""));
            case "suspend" -> ioctl("suspend", name, () -> dm.suspend(name, in.flag("--noflush")));
            case "resume" -> ioctl("resume", name, () -> dm.resume(name));
            case "remove" -> ioctl("remove", name, () -> dm.remove(name));
            case "clear" -> ioctl("clear", name, () -> dm.clear(name));
            case "status" -> lines(in.arg(0), false, true);
            case "table" -> lines(in.arg(0), in.flag("--inactive"), false);
            case "info" -> info(in.arg(0));
            case "message" -> message(name, number(in.args().get(1), 1, "SECTOR"),
                    in.args().subList(2, in.args().size()));
            case "ls" -> ls();
            case "targets" -> Response.ok(ControlOutput.targets(dm.types().all()));
            case "metrics" -> Response.ok(metrics.scrape());
            case "wait" -> await(name, in.arg(1).isPresent() ? number(in.args().get(1), 1, "EVENT") : 0,
                    in.flag("--verbose"), session);
            default -> throw new IllegalStateException("verb without handler: " + in.verb());
        };
    }

    /**
     * create = create, then (if there are targets) load and resume, as libdevmapper does it, so
     * the user learns which ioctl failed; a failed load or resume removes the device again.
     */
    private Response create(String name, Optional<String> table) {
        Optional<Response> malformed = table.flatMap(ControlCommands::checkFormat);
        if (malformed.isPresent()) {
            return malformed.get();
        }
        Response r = ioctl("create", name, () -> dm.create(name, Optional.empty()));
        if (r.status() != 0 || table.isEmpty() || !hasTargets(table.get())) {
            return r;
        }
        r = ioctl("reload", name, () -> dm.load(name, table.get()));
        if (r.status() == 0) {
            r = ioctl("resume", name, () -> dm.resume(name));
        }
        if (r.status() != 0) {
            revert(name);
        }
        return r;
    }

    private void revert(String name) {
        try {
            dm.remove(name);
        } catch (DmException e) {
            LOG.warn("device-mapper: could not revert create of {}: {}", name, e.getMessage());
        }
    }

    private Response reload(String name, String table) {
        return checkFormat(table).orElseGet(() -> ioctl("reload", name, () -> dm.load(name, table)));
    }

    /**
     * dmsetup parses the table before any ioctl and reports a malformed line itself; only what
     * the kernel refuses (unknown type, ctr errors) becomes a failed reload.
     */
    private static Optional<Response> checkFormat(String table) {
        try {
            TableParser.parse(table);
            return Optional.empty();
        } catch (DmException e) {
            return Optional.of(Response.failed(e.getMessage()));
        }
    }

    private static boolean hasTargets(String table) {
        try {
            return !TableParser.parse(table).isEmpty();
        } catch (DmException e) {
            return true;
        }
    }

    private static Response ioctl(String ioctl, String name, Ioctl op) {
        try {
            op.run();
            return Response.ok();
        } catch (DmException e) {
            return ioctlFailed(ioctl, name, e.errno());
        }
    }

    private static Response ioctlFailed(String ioctl, String name, Errno errno) {
        return Response.failed("device-mapper: " + ioctl + " ioctl on " + name + " failed: " + errno.text());
    }

    /** status/table: one device's lines, or every device's prefixed with {@code NAME: }. */
    private Response lines(Optional<String> name, boolean inactive, boolean status) {
        StringBuilder sb = new StringBuilder();
        if (name.isPresent()) {
            try {
                ControlOutput.lines(sb, "", fetch(name.get(), inactive, status));
            } catch (DmException e) {
                return queryFailed(status ? "status" : "table", name.get(), e);
            }
            return Response.ok(sb.toString());
        }
        for (String n : dm.names()) {
            try {
                ControlOutput.lines(sb, n + ": ", fetch(n, inactive, status));
            } catch (DmException e) {
                // Removed while we listed: as if we had listed a moment later.
            }
        }
        return Response.ok(sb.isEmpty() ? ControlOutput.NO_DEVICES : sb.toString());
    }

    private List<String> fetch(String name, boolean inactive, boolean status) throws DmException {
        return status ? dm.status(name) : dm.table(name, inactive);
    }

    private Response info(Optional<String> name) {
        StringBuilder sb = new StringBuilder();
        if (name.isPresent()) {
            try {
                ControlOutput.info(sb, dm.info(name.get()));
            } catch (DmException e) {
                return queryFailed("info", name.get(), e);
            }
            return Response.ok(sb.toString());
        }
        for (String n : dm.names()) {
            try {
                ControlOutput.info(sb, dm.info(n));
            } catch (DmException e) {
                // Removed while we listed.
            }
        }
        return Response.ok(sb.isEmpty() ? ControlOutput.NO_DEVICES : sb.toString());
    }

    /** dmsetup's query verbs treat ENXIO as "no such device" and say so in words. */
    private static Response queryFailed(String ioctl, String name, DmException e) {
        return e.errno() == Errno.ENXIO ? Response.failed("Device does not exist.") : ioctlFailed(ioctl, name, e.errno());
    }

    private Response message(String name, long sector, List<String> words) {
        try {
            return Response.ok(ControlOutput.reply(dm.message(name, sector, words)));
        } catch (DmException e) {
            return ioctlFailed("message", name, e.errno());
        }
    }

    private Response ls() {
        List<String> names = dm.names();
        return Response.ok(names.isEmpty() ? ControlOutput.NO_DEVICES : String.join("\n", names) + "\n");
    }

    /**
     * Blocks until the event counter exceeds {@code after}, in short slices so that a client that
     * hung up (Ctrl-C on {@code tiercache wait}) does not leave a thread waiting forever.
     */
    private Response await(String name, long after, boolean verbose, Session session) {
        while (true) {
            long event;
            try {
                event = dm.await(name, after, WAIT_SLICE_MILLIS);
            } catch (DmException e) {
                return ioctlFailed("waitevent", name, e.errno());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Response.failed("tiercache: wait interrupted");
            }
            if (event > after) {
                return Response.ok(verbose ? event + "\n" : "");
            }
            if (event >= 0) {
                // The wait ended without a new event: the device was removed under us.
                return ioctlFailed("waitevent", name, Errno.ENXIO);
            }
            if (session.clientGone()) {
                return Response.failed("tiercache: client went away");
            }
        }
    }

    /** A non-negative decimal, refused the way picocli refuses a bad {@code long} parameter. */
    private static long number(String word, int index, String label) throws UsageException {
        try {
            long n = Long.parseLong(word);
            if (n >= 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // fall through to the usage error
        }
        throw new UsageException("Invalid value for positional parameter at index " + index + " (" + label + "): '"
                + word + "' is not a non-negative number");
    }
}
