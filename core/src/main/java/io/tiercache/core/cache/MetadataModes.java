package io.tiercache.core.cache;

import io.tiercache.spi.metadata.CacheMetadata;
import java.io.IOException;

/**
 * A table instance's metadata mode and what happens when a metadata operation fails
 * (target-semantics §6; the kernel's {@code set_cache_mode}, {@code metadata_operation_failed} and
 * {@code abort_transaction}). A failure aborts the transaction (the metadata is re-read at its last
 * commit), durably sets needs_check and leaves the table read-only; if the abort or the flag cannot
 * be written the table fails. Fail is terminal. Every switch is logged and raises a device event.
 *
 * <p>The mode belongs to the table; the read-only state it sets belongs to the shared metadata
 * object, as in the kernel.
 */
final class MetadataModes {
    private final CacheMetadata metadata;
    private final CacheLog log;
    private final Runnable event;
    private volatile MetadataMode mode = MetadataMode.WRITE;

    MetadataModes(CacheMetadata metadata, CacheLog log, Runnable event) {
        this.metadata = metadata;
        this.log = log;
        this.event = event;
    }

    MetadataMode mode() {
        return mode;
    }

    /** The kernel's set_cache_mode: write is refused while needs_check is set; fail is never left. */
    synchronized void set(MetadataMode wanted) {
        MetadataMode old = mode;
        MetadataMode next = wanted;
        boolean needsCheck = false;
        try {
            needsCheck = metadata.needsCheck();
        } catch (IOException | RuntimeException e) {
            log.error("unable to read needs_check flag, setting failure mode.");
            next = MetadataMode.FAIL;
        }
        if (next == MetadataMode.WRITE && needsCheck) {
            log.error("unable to switch cache to write mode until repaired.");
            next = old != next ? old : MetadataMode.READ_ONLY;
        }
        if (old == MetadataMode.FAIL) {
            next = MetadataMode.FAIL;
        }
        if (next == MetadataMode.WRITE) {
            try {
                metadata.setReadWrite();
            } catch (IOException | RuntimeException e) {
                log.error("unable to switch metadata to read-write: " + e.getMessage());
                next = old == MetadataMode.WRITE ? MetadataMode.READ_ONLY : old;
            }
        }
        if (next != MetadataMode.WRITE) {
            metadata.setReadOnly();
        }
        mode = next;
        if (next != old) {
            log.info("switching cache to " + next.description() + " mode");
            event.run();
        }
    }

    /**
     * A metadata operation failed: log it, abort the transaction and go read-only (or fail). The
     * caller holds the metadata lock or takes none: the guard serialises the calls themselves.
     */
    void operationFailed(String op, Throwable error) {
        log.error("metadata operation '" + op + "' failed: error = " + CacheLog.errno(error));
        abortTransaction();
        set(MetadataMode.READ_ONLY);
    }

    private synchronized void abortTransaction() {
        if (mode.atLeast(MetadataMode.READ_ONLY)) {
            return;
        }
        log.error("aborting current metadata transaction");
        try {
            metadata.abort();
        } catch (IOException | RuntimeException e) {
            log.error("failed to abort metadata transaction");
            set(MetadataMode.FAIL);
        }
        try {
            metadata.setNeedsCheck();
        } catch (IOException | RuntimeException e) {
            log.error("failed to set 'needs_check' flag in metadata");
            set(MetadataMode.FAIL);
        }
    }

    /** The status column: {@code needs_check} also when the flag cannot be read. */
    boolean needsCheckForStatus() {
        try {
            return metadata.needsCheck();
        } catch (IOException | RuntimeException e) {
            return true;
        }
    }

    /** A policy that broke its contract cannot be trusted with another decision: stop everything. */
    void policyFailed(RuntimeException e) {
        log.error("policy failed, failing the cache: " + e.getMessage());
        set(MetadataMode.FAIL);
    }
}
