package io.tiercache.cli;

import io.tiercache.core.tools.Formats;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * What the tools that write metadata through a format plugin share (restore, repair, writeback):
 * {@code -q}, {@code --plugins}, and where the formats come from — the plugins folder, or a
 * test's own.
 */
abstract class FormatTool implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Option(names = {"-q", "--quiet"}, description = "Print nothing; the exit status says it all.")
    boolean quiet;

    @Option(names = "--plugins", paramLabel = "DIR",
            description = "The plugins folder (default: the daemon's, from conf/tiercache.properties or TIERCACHE_HOME).")
    private Path plugins;

    private final ToolSupport.FormatSource formats;

    FormatTool(ToolSupport.FormatSource formats) {
        this.formats = formats;
    }

    /** The format plugins to use. */
    Formats formats() {
        return formats.load(Optional.ofNullable(plugins));
    }

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    PrintWriter err() {
        return spec.commandLine().getErr();
    }
}
