package io.tiercache.cli;

import io.tiercache.core.tools.CacheChecker;
import io.tiercache.core.tools.CheckOptions;
import io.tiercache.core.tools.CheckReport;
import io.tiercache.core.tools.Problem;
import io.tiercache.core.tools.Progress;
import io.tiercache.core.tools.SuperblockFlags;
import io.tiercache.core.tools.ToolDevice;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code tiercache check}: {@code cache_check} with its flags. Silent when the metadata is sound
 * (as tools 1.1); otherwise one line per problem on stderr — the block, the structure, what is
 * wrong — and exit status 64. Needs no plugin: it reads the on-disk format itself.
 */
@Command(name = "check", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Validate cache metadata on a device or file (as cache_check).",
            "Prints nothing if the metadata is sound; otherwise every problem (block, structure, fault) on stderr.",
            "Exit status: 0 sound, 64 errors found or the device unreadable, 2 bad command line."})
final class CheckCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Parameters(paramLabel = "DEV", description = "The metadata device or image file.")
    private Path device;

    @Option(names = {"-q", "--quiet"}, description = "Print nothing; the exit status says it all.")
    private boolean quiet;

    @Option(names = "--super-block-only", description = "Only check the superblock.")
    private boolean superBlockOnly;

    @Option(names = "--skip-mappings", description = "Don't check the mapping array (nor the dirty bitset).")
    private boolean skipMappings;

    @Option(names = "--skip-hints", description = "Don't check the hint array.")
    private boolean skipHints;

    @Option(names = "--skip-discards", description = "Don't check the discard bitset.")
    private boolean skipDiscards;

    @Option(names = "--ignore-non-fatal-errors",
            description = "Exit 0 despite non-fatal problems (leaked blocks, dirty bits of unmapped blocks).")
    private boolean ignoreNonFatal;

    @Option(names = "--clear-needs-check-flag",
            description = "If the metadata passes, clear its needs_check flag (nothing else changes).")
    private boolean clearNeedsCheck;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        CheckOptions options = new CheckOptions(superBlockOnly, skipMappings, skipHints, skipDiscards, ignoreNonFatal);
        Progress progress = ToolSupport.progress("check", quiet);
        try (ToolDevice dev = ToolSupport.open(device, clearNeedsCheck, "input")) {
            CheckReport report;
            try {
                report = CacheChecker.check(dev, options, progress);
            } finally {
                progress.finish();
            }
            boolean passed = report.passed(ignoreNonFatal);
            if (!quiet) {
                print(err, report, passed);
            }
            if (!passed) {
                return ToolSupport.FAILED;
            }
            if (clearNeedsCheck && SuperblockFlags.clearNeedsCheck(dev) && !quiet) {
                err.println("cleared the needs_check flag");
            }
            return 0;
        } catch (IOException | RuntimeException e) {
            ToolSupport.error(err, quiet, "check", device + ": " + ToolSupport.describe(e));
            return ToolSupport.FAILED;
        } finally {
            err.flush();
        }
    }

    private void print(PrintWriter err, CheckReport report, boolean passed) {
        for (Problem p : report.errors()) {
            err.println(p);
        }
        if (report.leakedBlocks() > 0) {
            err.println(report.leakedBlocks() + " metadata block" + (report.leakedBlocks() == 1 ? " has" : "s have")
                    + " leaked: the space map counts them but nothing refers to them ('tiercache repair' rebuilds "
                    + "the metadata without them)");
        }
        if (!passed) {
            long fatal = report.problems().stream().filter(p -> p.severity() == Problem.Severity.FATAL).count();
            err.println("metadata contains errors" + (fatal > 0 ? " (" + fatal + " fatal)" : ""));
            if (clearNeedsCheck) {
                err.println("the needs_check flag was left set");
            }
        }
    }
}
