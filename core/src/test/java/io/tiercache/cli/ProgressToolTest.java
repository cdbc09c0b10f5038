package io.tiercache.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The tools' progress bar: drawn on one line, redrawn only when it moves, erased at the end. */
class ProgressToolTest {
    @Test
    void drawsOneLineAndErasesIt() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ProgressBar bar = new ProgressBar("check", new PrintStream(bytes, true, StandardCharsets.UTF_8));
        bar.update(0, 0);
        assertThat(bytes.size()).as("nothing to show yet").isZero();
        bar.update(1, 4);
        String first = bytes.toString(StandardCharsets.UTF_8);
        assertThat(first).isEqualTo("\rcheck [" + "#".repeat(10) + " ".repeat(30) + "] 25%");
        bar.update(1, 4);
        assertThat(bytes.toString(StandardCharsets.UTF_8)).as("same percentage: no redraw").isEqualTo(first);
        bar.finish();
        String all = bytes.toString(StandardCharsets.UTF_8);
        assertThat(all).doesNotContain("\n").endsWith("\r" + " ".repeat("check".length() + 48) + "\r");
    }

    @Test
    void noBarWithoutATerminal() {
        // Tests run with stdin/stdout redirected, as scripts and pipes do: no bar then.
        assertThat(ToolSupport.progress("check", false)).isSameAs(io.tiercache.core.tools.Progress.NONE);
        assertThat(ToolSupport.progress("check", true)).isSameAs(io.tiercache.core.tools.Progress.NONE);
    }
}
