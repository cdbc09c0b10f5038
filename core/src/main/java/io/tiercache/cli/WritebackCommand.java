package io.tiercache.cli;

import io.tiercache.core.tools.Progress;
import io.tiercache.core.tools.ToolDevice;
import io.tiercache.core.tools.Writeback;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code tiercache writeback}: {@code cache_writeback} (thin-provisioning-tools 1.1's flags). Copies
 * every dirty cache block from the fast device to the origin without the daemon, then clears the
 * dirty bits and commits the metadata with the clean-shutdown flag, unless
 * {@code --no-metadata-update}. The cache must not be active while this runs.
 */
@Command(name = "writeback", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Write the dirty blocks of an inactive cache back to the origin (as cache_writeback).",
            "Exit status: 0 all dirty blocks written back, 64 failed or some blocks could not be copied,"
                + " 2 bad command line."})
final class WritebackCommand extends FormatTool {
    @Option(names = "--metadata-device", required = true, paramLabel = "FILE", description = "The cache metadata device.")
    private Path metadataDevice;

    @Option(names = "--origin-device", required = true, paramLabel = "FILE", description = "The slow device being cached.")
    private Path originDevice;

    @Option(names = "--fast-device", required = true, paramLabel = "FILE",
            description = "The fast device holding the data to write back.")
    private Path fastDevice;

    @Option(names = "--origin-device-offset", paramLabel = "SECTORS", defaultValue = "0",
            description = "The data offset within the origin device (default ${DEFAULT-VALUE}).")
    private long originOffset;

    @Option(names = "--fast-device-offset", paramLabel = "SECTORS", defaultValue = "0",
            description = "The data offset within the fast device (default ${DEFAULT-VALUE}).")
    private long fastOffset;

    @Option(names = "--no-metadata-update", description = "Do not clear the dirty flags in the metadata.")
    private boolean noMetadataUpdate;

    @Option(names = "--list-failed-blocks", description = "List the blocks that failed to be written back.")
    private boolean listFailedBlocks;

    @Option(names = "--retry-count", paramLabel = "CNT", defaultValue = "0",
            description = "How many times to retry a block whose copy failed (default ${DEFAULT-VALUE}).")
    private int retryCount;

    @Option(names = "--buffer-size-meg", paramLabel = "MB",
            description = "Accepted for compatibility: blocks are copied one at a time.")
    private Integer bufferSizeMeg;

    WritebackCommand() {
        this(ToolSupport::pluginFormats);
    }

    /** With the formats a test provides. */
    WritebackCommand(ToolSupport.FormatSource formats) {
        super(formats);
    }

    @Override
    public Integer call() {
        PrintWriter out = out();
        PrintWriter err = err();
        if (originOffset < 0 || fastOffset < 0 || retryCount < 0 || bufferSizeMeg != null && bufferSizeMeg <= 0) {
            ToolSupport.error(err, quiet, "writeback", "offsets, --retry-count and --buffer-size-meg must not be negative");
            return 2;
        }
        Progress progress = ToolSupport.progress("writeback", quiet);
        boolean update = !noMetadataUpdate;
        try (ToolDevice meta = ToolSupport.open(metadataDevice, update, "metadata");
                ToolDevice fast = ToolSupport.open(fastDevice, false, "fast device");
                ToolDevice origin = ToolSupport.open(originDevice, true, "origin device")) {
            var format = formats().forDevice(meta);
            Writeback.Result r = Writeback.run(format, meta, fast, origin,
                    new Writeback.Options(fastOffset, originOffset, update, retryCount), progress);
            progress.finish();
            if (listFailedBlocks) {
                for (Writeback.Failure f : r.failures()) {
                    out.println("cache block " + f.cblock() + " -> origin block " + f.oblock() + ": " + f.reason());
                }
            }
            if (!r.failures().isEmpty()) {
                ToolSupport.error(err, quiet, "writeback", r.failures().size() + " of " + r.dirty()
                        + " dirty blocks could not be written back" + (r.metadataUpdated() ? " (they stay dirty)" : ""));
                return ToolSupport.FAILED;
            }
            return 0;
        } catch (IOException | RuntimeException e) {
            progress.finish();
            ToolSupport.error(err, quiet, "writeback", ToolSupport.describe(e));
            return ToolSupport.FAILED;
        } finally {
            progress.finish();
            out.flush();
            err.flush();
        }
    }
}
