package io.tiercache.spi.frontend;

/**
 * The kinds of per-range state a client can ask an export about: each is one NBD "metadata
 * context" ({@code NBD_CMD_BLOCK_STATUS}), answered by {@link Export#blockStatus}. The flag bits
 * are those that go on the wire, so they are fixed for good.
 */
public enum BlockStatusContext {
    /**
     * {@code base:allocation}, the protocol's own context: {@link #HOLE} (not allocated, a write
     * there could fail with ENOSPC) and {@link #ZERO} (reads as zeroes). 0, "allocated, contents
     * unknown", is always a correct answer; ZERO lets copying clients skip the range.
     */
    ALLOCATION("base:allocation"),

    /**
     * {@code tiercache:cache}: where a cache device keeps the range. {@link #CACHED}: the data is
     * in the cache device; {@link #DIRTY}: the cached data is newer than the origin's (always
     * together with CACHED). 0 means "on the origin only", which is also what every device that
     * is not a cache answers.
     */
    CACHE("tiercache:cache");

    /** {@link #ALLOCATION} bit 0: the range is not allocated. */
    public static final int HOLE = 1;

    /** {@link #ALLOCATION} bit 1: the range reads as zeroes. */
    public static final int ZERO = 2;

    /** {@link #CACHE} bit 0: the range is held in the cache device. */
    public static final int CACHED = 1;

    /** {@link #CACHE} bit 1: the cached copy has not been written back to the origin yet. */
    public static final int DIRTY = 2;

    private final String contextName;

    BlockStatusContext(String contextName) {
        this.contextName = contextName;
    }

    /** The name a client selects it by, {@code namespace:leaf}. */
    public String contextName() {
        return contextName;
    }

    /** The namespace with its colon, e.g. {@code base:}, which LIST queries may use as a wildcard. */
    public String namespace() {
        return contextName.substring(0, contextName.indexOf(':') + 1);
    }
}
