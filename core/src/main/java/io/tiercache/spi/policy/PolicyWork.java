package io.tiercache.spi.policy;

import io.tiercache.spi.block.CacheBlock;
import io.tiercache.spi.block.OriginBlock;
import java.util.Objects;

/**
 * One migration the policy wants done (the kernel's {@code struct policy_work}). The core performs
 * it and reports back with {@link CachePolicy#completeBackgroundWork}, passing an equal value. A
 * policy has at most one piece of work per origin block outstanding.
 *
 * @param op what to do
 * @param oblock the origin block
 * @param cblock the cache block: for a promotion the one the policy reserved for it
 */
public record PolicyWork(Op op, OriginBlock oblock, CacheBlock cblock) {
    /** The three migrations. */
    public enum Op {
        /** Copy origin to cache and map {@code oblock} at {@code cblock}. */
        PROMOTE,
        /** Unmap {@code cblock}, copying it to the origin first if it is dirty. */
        DEMOTE,
        /** Copy a dirty {@code cblock} to the origin; the mapping stays and becomes clean. */
        WRITEBACK
    }

    public PolicyWork {
        Objects.requireNonNull(op, "op");
        Objects.requireNonNull(oblock, "oblock");
        Objects.requireNonNull(cblock, "cblock");
    }

    public static PolicyWork promote(long oblock, long cblock) {
        return new PolicyWork(Op.PROMOTE, OriginBlock.of(oblock), CacheBlock.of(cblock));
    }

    public static PolicyWork demote(long oblock, long cblock) {
        return new PolicyWork(Op.DEMOTE, OriginBlock.of(oblock), CacheBlock.of(cblock));
    }

    public static PolicyWork writeback(long oblock, long cblock) {
        return new PolicyWork(Op.WRITEBACK, OriginBlock.of(oblock), CacheBlock.of(cblock));
    }

    @Override
    public String toString() {
        return op.name().toLowerCase(java.util.Locale.ROOT) + " " + oblock + "@" + cblock;
    }
}
