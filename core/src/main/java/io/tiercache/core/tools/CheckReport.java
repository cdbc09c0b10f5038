package io.tiercache.core.tools;

import io.tiercache.spi.pdata.CacheSuperblock;
import java.util.List;
import java.util.Optional;

/**
 * What {@code check} found.
 *
 * @param superblock    the superblock, if it could be decoded
 * @param problems      every problem, in the order found
 * @param leakedBlocks  blocks the space map counts but nothing refers to
 */
public record CheckReport(Optional<CacheSuperblock> superblock, List<Problem> problems, long leakedBlocks) {
    public CheckReport {
        problems = List.copyOf(problems);
    }

    /** True if nothing fatal was found (and, unless {@code ignoreNonFatal}, nothing non-fatal). */
    public boolean passed(boolean ignoreNonFatal) {
        return problems.stream().noneMatch(p -> p.severity() == Problem.Severity.FATAL
                || p.severity() == Problem.Severity.NON_FATAL && !ignoreNonFatal);
    }

    /** The problems that fail the check or explain those that do. */
    public List<Problem> errors() {
        return problems.stream().filter(p -> p.severity() != Problem.Severity.NOTE || !passed(false)).toList();
    }
}
