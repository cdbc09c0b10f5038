package io.tiercache.cli;

import io.tiercache.core.tools.Progress;
import io.tiercache.core.tools.Restorer;
import io.tiercache.core.tools.ToolDevice;
import io.tiercache.core.tools.XmlImageReader;
import io.tiercache.spi.metadata.MetadataFormat;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code tiercache restore}: {@code cache_restore}. Writes XML onto an existing device or file in
 * format 1 or 2 (default 2, as tools 1.1), with the clean-shutdown flag set unless told otherwise.
 */
@Command(name = "restore", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Write XML cache metadata (as cache_dump prints it) onto a device or file (as cache_restore).",
            "The output must exist and be large enough ('tiercache metadata-size' estimates).",
            "Exit status: 0 restored, 64 failed (the output then holds no metadata), 2 bad command line."})
final class RestoreCommand extends FormatTool {
    @Option(names = {"-i", "--input"}, required = true, paramLabel = "FILE", description = "The XML.")
    private Path input;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "DEV", description = "The metadata device or file.")
    private Path output;

    @Option(names = "--metadata-version", paramLabel = "NUM", defaultValue = "2",
            description = "The on-disk format: 1 or 2 (default ${DEFAULT-VALUE}).")
    private int metadataVersion;

    @Option(names = "--omit-clean-shutdown", description = "Leave the clean-shutdown flag clear.")
    private boolean omitCleanShutdown;

    RestoreCommand() {
        this(ToolSupport::pluginFormats);
    }

    /** With the formats a test provides. */
    RestoreCommand(ToolSupport.FormatSource formats) {
        super(formats);
    }

    @Override
    public Integer call() {
        PrintWriter err = err();
        if (metadataVersion != 1 && metadataVersion != 2) {
            ToolSupport.error(err, quiet, "restore", "--metadata-version must be 1 or 2, not " + metadataVersion);
            return 2;
        }
        Progress progress = ToolSupport.progress("restore", quiet);
        try {
            if (!Files.isRegularFile(input)) {
                throw new NoSuchFileException(input.toString(), null, "couldn't find input file " + input);
            }
            MetadataFormat format = formats().forVersion(metadataVersion);
            try (ToolDevice dev = ToolSupport.open(output, true, "output")) {
                Restorer.restore(format, dev, new XmlImageReader(input, progress), !omitCleanShutdown);
            }
            return 0;
        } catch (IOException | RuntimeException e) {
            progress.finish();
            ToolSupport.error(err, quiet, "restore", ToolSupport.describe(e));
            return ToolSupport.FAILED;
        } finally {
            progress.finish();
        }
    }
}
