package io.tiercache.cli;

import io.tiercache.core.tools.MetadataSize;
import io.tiercache.core.tools.StorageUnit;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code tiercache metadata-size}: {@code cache_metadata_size} of tools 1.1 — same options, units,
 * rules for the block size and output ({@code 9088 sectors}). Sizes without a unit are sectors.
 */
@Command(name = "metadata-size", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Estimate the size of the metadata device a cache needs (as cache_metadata_size).",
            "Give --block-size and --device-size (the fast device), or --nr-blocks.",
            "Sizes take a unit: b s k m g t p e (binary) or K M G T P E (decimal); plain numbers are sectors."})
final class MetadataSizeCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Option(names = "--block-size", paramLabel = "SIZE[bskmg]", description = "The cache block size.")
    private String blockSize;

    @Option(names = "--device-size", paramLabel = "SIZE[bskmgtp]", description = "The size of the fast (cache) device.")
    private String deviceSize;

    @Option(names = "--nr-blocks", paramLabel = "NUM", description = "The number of cache blocks.")
    private Long nrBlocks;

    @Option(names = "--max-hint-width", paramLabel = "BYTES", defaultValue = "4",
            description = "Bytes of policy hint per block (default ${DEFAULT-VALUE}).")
    private long maxHintWidth;

    @Option(names = {"-u", "--unit"}, paramLabel = "UNIT", defaultValue = "sector",
            description = "The output unit, one of b s k m g t p e K M G T P E or its name (default ${DEFAULT-VALUE}).")
    private String unit;

    @Option(names = {"-n", "--numeric-only"}, paramLabel = "OPT", arity = "0..1", fallbackValue = "numeric",
            description = "Print the number only; -n=short adds the unit's letter, -n=long its name.")
    private String numericOnly;

    @Override
    public Integer call() {
        StorageUnit outputUnit = parse(() -> StorageUnit.parse(unit), "--unit");
        MetadataSize.Style style = style();
        if (nrBlocks != null && (blockSize != null || deviceSize != null)) {
            throw usage("--nr-blocks cannot be used with --block-size or --device-size");
        }
        if ((blockSize == null) != (deviceSize == null)) {
            throw usage(blockSize == null ? "--device-size needs --block-size" : "--block-size needs --device-size");
        }
        if (nrBlocks != null && nrBlocks < 0 || maxHintWidth < 0 || maxHintWidth > 0xFFFF_FFFFL) {
            throw usage("--nr-blocks and --max-hint-width must be non-negative numbers");
        }
        PrintWriter err = spec.commandLine().getErr();
        try {
            long blocks;
            if (nrBlocks != null) {
                blocks = nrBlocks;
            } else if (blockSize != null) {
                long device = parse(() -> StorageUnit.parseSize(deviceSize), "--device-size");
                long block = parse(() -> StorageUnit.parseSize(blockSize), "--block-size");
                blocks = MetadataSize.nrBlocks(device, block);
            } else {
                err.println("Please specify either --device-size and --block-size, or --nr-blocks.");
                return ToolSupport.FAILED;
            }
            spec.commandLine().getOut().println(MetadataSize.format(MetadataSize.bytes(blocks, maxHintWidth),
                    outputUnit, style));
            return 0;
        } catch (IllegalArgumentException e) {
            err.println(e.getMessage());
            return ToolSupport.FAILED;
        } finally {
            spec.commandLine().getOut().flush();
            err.flush();
        }
    }

    private MetadataSize.Style style() {
        if (numericOnly == null) {
            return MetadataSize.Style.FULL;
        }
        return switch (numericOnly) {
            case "numeric" -> MetadataSize.Style.NUMERIC;
            case "short" -> MetadataSize.Style.SHORT_UNITS;
            case "long" -> MetadataSize.Style.LONG_UNITS;
            default -> throw usage("invalid value '" + numericOnly + "' for --numeric-only: short or long");
        };
    }

    private interface Parser<T> {
        T parse();
    }

    /** A value that does not parse is a command-line error (exit 2), as in the tools. */
    private <T> T parse(Parser<T> p, String option) {
        try {
            return p.parse();
        } catch (IllegalArgumentException e) {
            throw usage("invalid value for " + option + ": " + e.getMessage());
        }
    }

    private ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }
}
