package io.tiercache.core.tools;

import io.tiercache.spi.pdata.MetadataCorruptException;

/**
 * One thing {@code check} found wrong (or worth saying): which metadata block, which structure,
 * what is wrong, and how bad it is.
 *
 * @param block     the metadata block at fault, or -1 when the problem is not one block's
 * @param structure what the block belongs to, e.g. "mapping array btree node"
 * @param what      what is wrong, in words a user can act on
 * @param severity  whether it fails the check
 */
public record Problem(long block, String structure, String what, Severity severity) {
    /** How a problem counts towards the verdict, as tools 1.1 grade them. */
    public enum Severity {
        /** The metadata is damaged: the check fails. */
        FATAL,
        /**
         * Harmless to the kernel but rejected by a strict checker (leaked blocks, dirty bits of
         * unmapped blocks): the check fails unless non-fatal errors are ignored.
         */
        NON_FATAL,
        /** An explanation that goes with other problems; never fails the check. */
        NOTE
    }

    public static Problem fatal(long block, String structure, String what) {
        return new Problem(block, structure, what, Severity.FATAL);
    }

    public static Problem nonFatal(long block, String structure, String what) {
        return new Problem(block, structure, what, Severity.NON_FATAL);
    }

    public static Problem note(long block, String structure, String what) {
        return new Problem(block, structure, what, Severity.NOTE);
    }

    /** A block that failed validation as it was read. */
    public static Problem of(MetadataCorruptException e) {
        return fatal(e.block(), e.structure(), e.problem());
    }

    /** The line {@code check} prints, in the wording of {@link MetadataCorruptException}. */
    @Override
    public String toString() {
        String where = block >= 0 ? "metadata block " + block + " (" + structure + ")" : structure;
        String prefix = switch (severity) {
            case FATAL -> "";
            case NON_FATAL -> "non-fatal: ";
            case NOTE -> "note: ";
        };
        return prefix + where + ": " + what;
    }
}
