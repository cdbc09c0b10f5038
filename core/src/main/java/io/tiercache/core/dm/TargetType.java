package io.tiercache.core.dm;

import java.util.List;

/**
 * A registered target type ({@code linear}, {@code flakey}, later {@code cache}), as the kernel's
 * {@code dm_register_target}. Types are bound by name in Guice; the constructor is {@link #construct}.
 */
public interface TargetType {
    String name();

    /** Version as {@code dmsetup targets} prints it: major, minor, patch. */
    int[] version();

    /**
     * The ctr hook: parses {@code args} and builds the target. Throws {@link TargetException} with the
     * kernel's {@code ti->error} text when the arguments are refused, or a {@link DmException} already
     * worded as a table-level refusal (e.g. from {@link TargetContext#requireArea}).
     */
    Target construct(TargetContext context, List<String> args) throws TargetException, DmException;
}
