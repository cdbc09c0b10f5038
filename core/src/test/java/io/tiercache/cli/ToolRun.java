package io.tiercache.cli;

import io.tiercache.core.tools.TestFormat;
import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/** Runs an offline tool as the launcher would and keeps what it printed. */
record ToolRun(int status, String out, String err) {
    /** {@code tiercache ARGS...}: the real command tree, plugins from the plugins folder. */
    static ToolRun tiercache(String... args) {
        return run(new TiercacheCommand(), args);
    }

    /** One tool object, e.g. {@code new DumpCommand(ToolRun::testFormats)}. */
    static ToolRun run(Object command, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(command);
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int status = cl.execute(args);
        return new ToolRun(status, out.toString(), err.toString());
    }

    /** The tests' formats 1 and 2, standing in for the format plugins. */
    static io.tiercache.core.tools.Formats testFormats(java.util.Optional<java.nio.file.Path> plugins) {
        return TestFormat.both();
    }

    String describe() {
        return "exit " + status + "\nstdout:\n" + out + "\nstderr:\n" + err;
    }
}
