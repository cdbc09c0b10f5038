package io.tiercache.core.tools;

/** Where a long run reports how far it got (a progress bar on a terminal, or nothing). */
@FunctionalInterface
public interface Progress {
    Progress NONE = (done, total) -> { };

    /** {@code done} of {@code total} units (blocks, bytes, cache blocks) are finished. */
    void update(long done, long total);

    /** The run is over (successfully or not): clear whatever was drawn. */
    default void finish() {}
}
