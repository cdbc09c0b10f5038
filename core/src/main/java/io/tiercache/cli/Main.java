package io.tiercache.cli;

import picocli.CommandLine;

/** The {@code tiercache} launcher's entry point. */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        System.exit(new CommandLine(new TiercacheCommand()).execute(args));
    }
}
