package io.tiercache.cli;

import com.google.inject.Guice;
import com.google.inject.Key;
import com.google.inject.Stage;
import com.google.inject.TypeLiteral;
import io.tiercache.core.daemon.DaemonConfig;
import io.tiercache.core.inject.PluginModule;
import io.tiercache.core.plugin.PluginCatalog;
import io.tiercache.core.tools.Formats;
import io.tiercache.core.tools.Progress;
import io.tiercache.core.tools.ToolDevice;
import io.tiercache.spi.metadata.MetadataFormat;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * What the offline tools ({@code check}, {@code dump}, {@code restore}, {@code repair},
 * {@code metadata-size}) share: exit codes, the format plugins, devices, progress.
 */
final class ToolSupport {
    /** Exit status of a tool that found errors or failed, as thin-provisioning-tools 1.1 use. */
    static final int FAILED = 64;

    private ToolSupport() {}

    /** Where the format plugins come from: how a tool finds them, so tests can hand in their own. */
    @FunctionalInterface
    interface FormatSource {
        Formats load(Optional<Path> pluginsFlag);
    }

    /** The format extensions of the plugins folder ({@code --plugins}, else the daemon's). */
    static Formats pluginFormats(Optional<Path> pluginsFlag) {
        Path folder = DaemonConfig.resolve(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                pluginsFlag, DaemonConfig.file()).plugins();
        PluginCatalog all = PluginCatalog.load(folder);
        PluginCatalog formatsOnly = new PluginCatalog(Map.of(), all.formats(), Map.of(), all.problems());
        Map<String, MetadataFormat> formats = Guice.createInjector(Stage.PRODUCTION, new PluginModule(formatsOnly))
                .getInstance(Key.get(new TypeLiteral<Map<String, MetadataFormat>>() {}));
        return new Formats(formats, folder.toString());
    }

    /** Opens a device or image, with the tools' wording when it is missing. */
    static ToolDevice open(Path path, boolean writable, String role) throws IOException {
        try {
            return ToolDevice.open(path, writable);
        } catch (NoSuchFileException e) {
            throw new NoSuchFileException(path.toString(), null, "couldn't find " + role + " file " + path);
        }
    }

    /** A progress bar on stderr when a person is watching; nothing otherwise. */
    static Progress progress(String label, boolean quiet) {
        java.io.Console console = System.console();
        if (quiet || console == null || !console.isTerminal()) {
            return Progress.NONE;
        }
        return new ProgressBar(label, System.err);
    }

    /** Prints {@code tiercache TOOL: message} unless quiet. */
    static void error(PrintWriter err, boolean quiet, String tool, String message) {
        if (!quiet) {
            err.println("tiercache " + tool + ": " + message);
            err.flush();
        }
    }

    /** An exception's message, or its class when it has none. */
    static String describe(Exception e) {
        if (e instanceof NoSuchFileException n && n.getReason() != null) {
            return n.getReason();
        }
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }
}
