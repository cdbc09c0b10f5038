package io.tiercache.core.cache;

/** How the cache treats writes (target-semantics §4.3). */
public enum IoMode {
    /** Writes go to the cache only; blocks become dirty and are written back later. */
    WRITEBACK,
    /** Writes go to the origin and to a cached copy; nothing is ever dirty. */
    WRITETHROUGH,
    /** Everything goes to the origin; a write hit invalidates the cached copy. */
    PASSTHROUGH;

    /** The feature word, as the table and status print it. */
    public String word() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
