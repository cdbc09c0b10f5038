package io.tiercache.cli;

import io.tiercache.core.tools.Formats;
import io.tiercache.core.tools.Progress;
import io.tiercache.core.tools.SalvageReader;
import io.tiercache.core.tools.ToolDevice;
import io.tiercache.core.tools.XmlImageWriter;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code tiercache dump}: {@code cache_dump}. The XML is tools 1.1's, byte for byte (no newline
 * after the last line); the format plugin that recognises the superblock reads the device.
 * {@code --repair} dumps what can be salvaged from damaged metadata instead.
 */
@Command(name = "dump", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Dump cache metadata as XML (as cache_dump), to stdout or a file.",
            "Exit status: 0 dumped, 64 unreadable or damaged metadata (use --repair), 2 bad command line."})
final class DumpCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Parameters(paramLabel = "DEV", description = "The metadata device or image file.")
    private Path device;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Write the XML to FILE rather than stdout.")
    private Path output;

    @Option(names = {"-r", "--repair"}, description = "Dump whatever can be salvaged from damaged metadata.")
    private boolean repair;

    @Option(names = "--plugins", paramLabel = "DIR",
            description = "The plugins folder (default: the daemon's, from conf/tiercache.properties or TIERCACHE_HOME).")
    private Path plugins;

    private final ToolSupport.FormatSource formats;

    DumpCommand() {
        this(ToolSupport::pluginFormats);
    }

    /** With the formats a test provides. */
    DumpCommand(ToolSupport.FormatSource formats) {
        this.formats = formats;
    }

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        Progress progress = ToolSupport.progress("dump", output == null);
        try (ToolDevice dev = ToolSupport.open(device, false, "input"); Writer out = openOutput()) {
            if (repair) {
                // The salvage reports blocks read; the writer's count of cache blocks would fight it.
                SalvageReader salvage = SalvageReader.open(dev, false, progress);
                salvage.replay(new XmlImageWriter(out, Progress.NONE));
                salvage.problems().forEach(p -> err.println("warning: " + p));
            } else {
                Formats available = formats.load(Optional.ofNullable(plugins));
                available.forDevice(dev).dump(dev, new XmlImageWriter(out, progress));
            }
            return 0;
        } catch (IOException | RuntimeException e) {
            progress.finish();
            spec.commandLine().getOut().flush();
            ToolSupport.error(err, false, "dump", device + ": " + ToolSupport.describe(e));
            return ToolSupport.FAILED;
        } finally {
            progress.finish();
            spec.commandLine().getOut().flush();
            err.flush();
        }
    }

    /**
     * The file, or stdout; stdout is not closed (the command line's writer belongs to it). A
     * progress bar is only drawn when writing to a file, never over XML on the terminal.
     */
    private Writer openOutput() throws IOException {
        if (output != null) {
            return new BufferedWriter(new OutputStreamWriter(Files.newOutputStream(output), StandardCharsets.UTF_8),
                    1 << 16);
        }
        PrintWriter out = spec.commandLine().getOut();
        return new BufferedWriter(out, 1 << 16) {
            @Override
            public void close() throws IOException {
                flush();
            }
        };
    }
}
