package io.tiercache.cli;

import io.tiercache.core.daemon.DaemonConfig;
import io.tiercache.core.policy.PolicyException;
import io.tiercache.core.policy.PolicyRegistry;
import io.tiercache.core.policy.PolicyType;
import io.tiercache.core.policy.PolicyViolationException;
import io.tiercache.core.sim.SimOptions;
import io.tiercache.core.sim.SimResult;
import io.tiercache.core.sim.Simulator;
import io.tiercache.core.sim.Trace;
import io.tiercache.core.sim.TraceManifest;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code tiercache sim}: replays a block trace through any policy — a plugin from the plugins folder
 * or the built-in {@code lru} — as the cache target would drive it, and reports hits, migrations
 * and the policy's memory. Needs no daemon and touches no device.
 */
@Command(name = "sim", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Replay a block trace (R|W <block> lines, gzip or plain) through a cache policy and report "
                + "hits, promotions, demotions, writebacks and the policy's memory per block.",
            "Time is simulated: --iops accesses per second, a policy tick every --ticks-every accesses."})
final class SimCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Option(names = "--policy", required = true, paramLabel = "NAME", description = "The policy (e.g. smq, cleaner, lru).")
    private String policy;

    @Option(names = "--policy-arg", paramLabel = "KEY=VALUE",
            description = "A policy argument, as in a table line; repeatable, applied in order.")
    private List<String> policyArgs = new ArrayList<>();

    @Option(names = "--cache-blocks", required = true, paramLabel = "N|P%",
            description = "Cache size in blocks, or a percentage of the trace's distinct blocks.")
    private String cacheBlocks;

    @Option(names = "--trace", required = true, paramLabel = "FILE", description = "The trace.")
    private Path trace;

    @Option(names = "--origin-blocks", paramLabel = "N",
            description = "Origin size (default: the trace's entry in manifest.json beside it, else the largest block + 1).")
    private Long originBlocks;

    @Option(names = "--ticks-every", paramLabel = "K", defaultValue = "" + SimOptions.DEFAULT_TICKS_EVERY,
            description = "Tick the policy before every K-th access (0: never; default ${DEFAULT-VALUE}: the target "
                    + "ticks on each marked request's completion).")
    private long ticksEvery;

    @Option(names = "--iops", paramLabel = "R", defaultValue = "" + SimOptions.DEFAULT_ACCESSES_PER_SECOND,
            description = "Simulated accesses per second, which the policy's periods are measured against "
                    + "(default ${DEFAULT-VALUE}).")
    private long iops;

    @Option(names = "--block-sectors", paramLabel = "S", defaultValue = "" + SimOptions.DEFAULT_BLOCK_SECTORS,
            description = "Cache block size in 512-byte sectors (default ${DEFAULT-VALUE}).")
    private long blockSectors;

    @Option(names = "--plugins", paramLabel = "DIR",
            description = "The plugins folder (default: the daemon's, from conf/tiercache.properties or TIERCACHE_HOME).")
    private Path plugins;

    @Option(names = "--json", description = "Print one JSON object instead of text.")
    private boolean json;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            SimResult result = simulate(err);
            out.print(json ? result.toJson() + System.lineSeparator() : result.toText());
            return 0;
        } catch (PolicyException e) {
            err.println("tiercache sim: " + e.getMessage() + " (" + e.detail() + ")");
        } catch (PolicyViolationException e) {
            err.println("tiercache sim: the policy broke its contract: " + e.getMessage());
        } catch (IOException | IllegalArgumentException e) {
            err.println("tiercache sim: " + e.getMessage());
        } finally {
            out.flush();
            err.flush();
        }
        return 1;
    }

    private SimResult simulate(PrintWriter err) throws IOException, PolicyException {
        List<String> args = policyArguments();
        if (!Files.isRegularFile(trace)) {
            throw new IOException("no trace file " + trace);
        }
        Path folder = pluginsFolder();
        PolicyRegistry registry = PolicyRegistry.fromPluginsFolder(folder);
        registry.problems().forEach(p -> err.println("tiercache sim: warning: " + p));
        PolicyType type = registry.require(policy);
        Trace t = Trace.load(trace);
        long origin = originBlocks != null ? originBlocks
                : TraceManifest.originBlocks(trace).orElse(Math.max(1, t.maxBlock() + 1));
        SimOptions options = new SimOptions(cacheSize(t), origin, ticksEvery, iops, blockSectors);
        return Simulator.run(type, args, t, options);
    }

    private Path pluginsFolder() {
        return DaemonConfig.resolve(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.ofNullable(plugins), DaemonConfig.file()).plugins();
    }

    /**
     * {@code KEY=VALUE}s as the policy's key/value list. {@code migration_threshold} is the cache
     * target's own key: accepted, but without effect here, as a replay is never idle.
     */
    private List<String> policyArguments() {
        List<String> words = new ArrayList<>();
        for (String kv : policyArgs) {
            int eq = kv.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("--policy-arg wants KEY=VALUE, not '" + kv + "'");
            }
            String key = kv.substring(0, eq);
            if (key.equalsIgnoreCase("migration_threshold")) {
                continue;
            }
            words.add(key);
            words.add(kv.substring(eq + 1));
        }
        return words;
    }

    /** A block count, or {@code P%} of the distinct blocks as the shared traces size their caches. */
    private long cacheSize(Trace t) {
        try {
            if (cacheBlocks.endsWith("%")) {
                long pct = Long.parseLong(cacheBlocks.substring(0, cacheBlocks.length() - 1));
                return Math.max(1, (t.distinctBlocks() * pct + 50) / 100);
            }
            long n = Long.parseLong(cacheBlocks);
            if (n < 1) {
                throw new IllegalArgumentException("--cache-blocks must be at least 1");
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--cache-blocks wants a number or a percentage, not '" + cacheBlocks + "'");
        }
    }
}
