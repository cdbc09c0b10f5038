package io.tiercache.cli;

import io.tiercache.core.tools.Progress;
import io.tiercache.core.tools.Restorer;
import io.tiercache.core.tools.SalvageReader;
import io.tiercache.core.tools.ToolDevice;
import io.tiercache.spi.metadata.MetadataFormat;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code tiercache repair}: {@code cache_repair}. Salvages what can be read from damaged metadata
 * and writes it, in the same format, onto another device — fresh, so leaks, bad counts and
 * damaged blocks are gone. What could not be saved is listed on stderr.
 *
 * <p>An image that was not shut down cleanly is written without the clean-shutdown flag: its
 * dirty bits were never final, so the kernel must keep treating every block as dirty.
 */
@Command(name = "repair", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Salvage damaged cache metadata onto another device or file (as cache_repair).",
            "Exit status: 0 written (losses are listed on stderr), 64 nothing could be written, 2 bad command line."})
final class RepairCommand extends FormatTool {
    @Option(names = {"-i", "--input"}, required = true, paramLabel = "DEV", description = "The damaged metadata.")
    private Path input;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "DEV",
            description = "Where to write the repaired metadata (overwritten).")
    private Path output;

    RepairCommand() {
        this(ToolSupport::pluginFormats);
    }

    /** With the formats a test provides. */
    RepairCommand(ToolSupport.FormatSource formats) {
        super(formats);
    }

    @Override
    public Integer call() {
        PrintWriter err = err();
        Progress progress = ToolSupport.progress("repair", quiet);
        try (ToolDevice in = ToolSupport.open(input, false, "input");
                ToolDevice out = ToolSupport.open(output, true, "output")) {
            if (Files.isSameFile(input, output)) {
                throw new IOException("the input and the output are the same file: repair writes a new copy");
            }
            SalvageReader salvage = SalvageReader.open(in, false, progress);
            MetadataFormat format = formats().forVersion(salvage.superblock().version());
            Restorer.restore(format, out, salvage, salvage.superblock().cleanShutdown());
            progress.finish();
            if (!quiet && !salvage.problems().isEmpty()) {
                salvage.problems().forEach(p -> err.println("lost: " + p));
                err.println("salvaged " + salvage.mappings() + " mappings and " + salvage.hints()
                        + " hints; what is listed above is lost");
            }
            return 0;
        } catch (IOException | RuntimeException e) {
            progress.finish();
            ToolSupport.error(err, quiet, "repair", ToolSupport.describe(e));
            return ToolSupport.FAILED;
        } finally {
            err.flush();
        }
    }
}
