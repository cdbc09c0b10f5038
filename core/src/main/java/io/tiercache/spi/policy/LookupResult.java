package io.tiercache.spi.policy;

import io.tiercache.spi.block.CacheBlock;
import java.util.Objects;

/** A decoded {@link Lookup} result. */
public sealed interface LookupResult {
    /** The block is mapped at {@code cblock}. */
    record Hit(CacheBlock cblock) implements LookupResult {
        public Hit {
            Objects.requireNonNull(cblock, "cblock");
        }
    }

    /** Not mapped; {@code workQueued} tells whether the policy queued background work. */
    record Miss(boolean workQueued) implements LookupResult {
        static final Miss NOTHING_QUEUED = new Miss(false);
        static final Miss WORK_QUEUED = new Miss(true);
    }

    /** Not mapped; the caller promotes it now into the reserved {@code cblock}. */
    record PromoteNow(CacheBlock cblock) implements LookupResult {
        public PromoteNow {
            Objects.requireNonNull(cblock, "cblock");
        }
    }
}
