package io.tiercache.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.tiercache.core.tools.Tools;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code tiercache metadata-size} prints what tools 1.1 {@code cache_metadata_size} print, for the
 * same arguments, and exits the same way; where 0.9 understand the arguments and the size is whole,
 * theirs too.
 */
class MetadataSizeToolTest {
    private static final List<String> CASES = List.of(
            "--nr-blocks 16384", "--nr-blocks 0", "--nr-blocks 1", "--nr-blocks 17", "--nr-blocks 80", "--nr-blocks 112",
            "--nr-blocks 4161600", "--nr-blocks 100000000", "--nr-blocks 1000000000",
            "--nr-blocks 16384 --max-hint-width 8", "--nr-blocks 16384 --max-hint-width 0",
            "--block-size 128 --device-size 1048576", "--block-size 64k --device-size 1g", "--block-size 1g --device-size 1g",
            "--block-size 64KiB --device-size 1MiB", "--block-size 64 --device-size 65", "--block-size 64k --device-size 2t",
            "--nr-blocks 16384 -u m", "--nr-blocks 16384 -u M", "--nr-blocks 16384 -u k", "--nr-blocks 16384 -u K",
            "--nr-blocks 16384 -u b", "--nr-blocks 16384 -u g", "--nr-blocks 16384 -u t", "--nr-blocks 16384 -u T",
            "--nr-blocks 16384 -u e", "--nr-blocks 16384 -u kibibyte", "--nr-blocks 16384 --unit KiB",
            "--nr-blocks 16384 -n", "--nr-blocks 16384 --numeric-only", "--nr-blocks 16384 -n=short -u k",
            "--nr-blocks 16384 -n=long -u m", "--nr-blocks 16384 -n=short",
            // errors: the tools' words and exit status 64
            "--block-size 100 --device-size 1048576", "--block-size 32 --device-size 1m", "--block-size 0 --device-size 0",
            "--block-size 2097216 --device-size 1t", "--block-size 64 --device-size 0", "");
    /** Command-line errors: only the exit status (2) is compared, the wording is picocli's. */
    private static final List<String> USAGE = List.of("--block-size 128", "--device-size 1t",
            "--block-size 128 --device-size 1m --nr-blocks 5", "--nr-blocks 16384 -u x", "--nr-blocks x",
            "--nr-blocks 16384 -n=medium", "--block-size 1x --device-size 5");

    private static String[] words(String args) {
        List<String> w = new ArrayList<>(List.of("metadata-size"));
        if (!args.isEmpty()) {
            w.addAll(List.of(args.split(" ")));
        }
        return w.toArray(String[]::new);
    }

    @Test
    void sameOutputAsTools11() throws Exception {
        for (String args : CASES) {
            ToolRun ours = ToolRun.tiercache(words(args));
            List<Object> cmd = new ArrayList<>(List.of(Tools.tools11("cache_metadata_size")));
            if (!args.isEmpty()) {
                cmd.addAll(List.of(args.split(" ")));
            }
            Tools.Result theirs = Tools.run(cmd.toArray());
            assertThat(ours.status()).as(args + "\n" + ours.describe() + "\n" + theirs.describe())
                    .isEqualTo(theirs.exitCode());
            assertThat(ours.out()).as(args).isEqualTo(theirs.stdout());
            assertThat(ours.err()).as(args).isEqualTo(theirs.stderr());
        }
    }

    @Test
    void usageErrorsExit2() throws Exception {
        for (String args : USAGE) {
            assertThat(ToolRun.tiercache(words(args)).status()).as(args).isEqualTo(2);
            List<Object> cmd = new ArrayList<>(List.of(Tools.tools11("cache_metadata_size")));
            cmd.addAll(List.of(args.split(" ")));
            assertThat(Tools.run(cmd.toArray()).exitCode()).as("tools 1.1: " + args).isEqualTo(2);
        }
    }

    @Test
    void wholeSectorCountsAsTools09() throws Exception {
        for (String args : List.of("--nr-blocks 16384", "--nr-blocks 100000000", "--block-size 128 --device-size 1048576",
                "--nr-blocks 16384 --max-hint-width 8", "--nr-blocks 0")) {
            List<Object> cmd = new ArrayList<>(List.of(Tools.tools09("cache_metadata_size")));
            cmd.addAll(List.of(args.split(" ")));
            assertThat(ToolRun.tiercache(words(args)).out()).as(args).isEqualTo(Tools.run(cmd.toArray()).stdout());
        }
    }
}
