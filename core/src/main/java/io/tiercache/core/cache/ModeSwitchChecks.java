package io.tiercache.core.cache;

import io.tiercache.core.dm.DmException;
import io.tiercache.spi.block.BlockIoException;
import io.tiercache.spi.block.Errno;
import io.tiercache.spi.metadata.CacheMetadata;
import java.io.IOException;

/**
 * The checks that guard a switch of table (and so of io mode): the reason target version 2.4.0
 * exists. They must run in the cache target's preresume, after the old table's postsuspend has
 * written its final dirty bits, and never at construction: LVM loads the new table while the old
 * one is still live and still dirtying blocks, so anything checked then is stale by the time the
 * new table takes over (upstream 322586745bd1, a373b3d5289e).
 *
 * <p>Static methods of a final class, so every call is a direct call that the architecture rule
 * ({@code ArchitectureRules.MODE_SWITCH_CHECKS_ONLY_IN_PRERESUME}) can follow back to
 * {@link CacheTarget#preresume}; it fails the build if one is reached from a constructor, a
 * message handler or anything else.
 */
public final class ModeSwitchChecks {
    private ModeSwitchChecks() {}

    /**
     * can_resume (a), since v6.15: a table whose earlier preresume got past sizing but failed to load
     * its mappings holds a half-loaded policy; it can only be replaced, not resumed.
     */
    public static void refuseSizedButNotLoaded(boolean sized, boolean mappingsLoaded, boolean metadataWritable,
            String dev) throws DmException {
        if (sized && !mappingsLoaded) {
            String why = metadataWritable ? "unable to resume cache due to missing proper cache table reload"
                    : "unable to resume a failed-loaded cache, please check metadata.";
            new CacheLog(dev).error(why);
            throw new DmException(Errno.EINVAL, why);
        }
    }

    /**
     * can_resume (b), fix (b) of 2026: after an unclean shutdown every mapping loads dirty, and a
     * passthrough write hit would drop a dirty block without writing it back. Refuse passthrough
     * unless the metadata object was cleanly shut down when it was opened.
     */
    public static void refusePassthroughAfterUncleanShutdown(IoMode mode, CacheMetadata metadata, String dev)
            throws DmException {
        if (mode != IoMode.PASSTHROUGH) {
            return;
        }
        boolean clean;
        try {
            clean = metadata.cleanWhenOpened();
        } catch (IOException | RuntimeException e) {
            new CacheLog(dev).error("failed to query metadata flags");
            throw new DmException(Errno.EINVAL, "failed to query metadata flags", e);
        }
        if (!clean) {
            String why = "unable to resume into passthrough mode after unclean shutdown";
            new CacheLog(dev).error(why);
            throw new DmException(Errno.EINVAL, why);
        }
    }

    /**
     * Fix (a) of 2026, applied to each mapping as it is loaded: passthrough never writes back, so it
     * may not start with a dirty block. EBUSY, which the loader does not count as a metadata
     * failure: the metadata stays writable and no needs_check is set.
     */
    public static void refuseDirtyInPassthrough(IoMode mode, boolean dirty, String dev) throws BlockIoException {
        if (mode == IoMode.PASSTHROUGH && dirty) {
            String why = "cannot enter passthrough mode unless all blocks are clean";
            new CacheLog(dev).error(why);
            throw new BlockIoException(Errno.EBUSY, why);
        }
    }
}
