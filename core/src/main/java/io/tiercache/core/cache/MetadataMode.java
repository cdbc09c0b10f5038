package io.tiercache.core.cache;

/** The metadata modes of target-semantics §6, in order of severity. */
enum MetadataMode {
    WRITE("write"),
    READ_ONLY("read-only"),
    FAIL("fail");

    private final String description;

    MetadataMode(String description) {
        this.description = description;
    }

    /** As the kernel's "switching cache to ... mode" line says it. */
    String description() {
        return description;
    }

    boolean atLeast(MetadataMode other) {
        return compareTo(other) >= 0;
    }
}
