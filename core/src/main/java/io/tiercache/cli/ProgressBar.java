package io.tiercache.cli;

import io.tiercache.core.tools.Progress;
import java.io.PrintStream;

/**
 * A one-line progress bar drawn on a terminal's stderr ({@code check  [#####·····]  48%}), redrawn
 * at most ten times a second and erased when the run ends, so that it never mixes with output.
 */
final class ProgressBar implements Progress {
    private static final int WIDTH = 40;
    private static final long REDRAW_NANOS = 100_000_000L;

    private final String label;
    private final PrintStream err;
    private long lastDraw;
    private int lastPercent = -1;
    private boolean drawn;

    ProgressBar(String label, PrintStream err) {
        this.label = label;
        this.err = err;
    }

    @Override
    public void update(long done, long total) {
        if (total <= 0) {
            return;
        }
        int percent = (int) Math.min(100, done * 100 / total);
        long now = System.nanoTime();
        if (percent == lastPercent || drawn && now - lastDraw < REDRAW_NANOS) {
            return;
        }
        lastPercent = percent;
        lastDraw = now;
        int filled = percent * WIDTH / 100;
        err.print("\r" + label + " [" + "#".repeat(filled) + " ".repeat(WIDTH - filled) + "] " + percent + "%");
        err.flush();
        drawn = true;
    }

    @Override
    public void finish() {
        if (drawn) {
            err.print("\r" + " ".repeat(label.length() + WIDTH + 8) + "\r");
            err.flush();
            drawn = false;
        }
    }
}
