package io.tiercache.core.cache;

import io.tiercache.core.dm.DmException;
import io.tiercache.spi.block.BlockIoException;
import io.tiercache.spi.block.Errno;
import io.tiercache.spi.policy.CachePolicy;
import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * {@code dmsetup message <dev> 0 ...} (target-semantics §3): {@code invalidate_cblocks} in
 * passthrough mode, otherwise one {@code <key> <value>} pair: {@code migration_threshold} for the
 * core, anything else for the policy.
 */
final class CacheMessages {
    private final CacheLog log;
    private final IoMode mode;
    private final MetadataModes modes;
    private final CachePolicy policy;
    private final MigrationWorker worker;
    private final Invalidator invalidator;
    private final LongSupplier cacheSize;

    CacheMessages(CacheLog log, IoMode mode, MetadataModes modes, CachePolicy policy, MigrationWorker worker,
            Invalidator invalidator, LongSupplier cacheSize) {
        this.log = log;
        this.mode = mode;
        this.modes = modes;
        this.policy = policy;
        this.worker = worker;
        this.invalidator = invalidator;
        this.cacheSize = cacheSize;
    }

    String handle(List<String> words) throws DmException {
        if (words.isEmpty()) {
            throw new DmException(Errno.EINVAL, "empty message");
        }
        if (modes.mode().atLeast(MetadataMode.READ_ONLY)) {
            String why = "unable to service cache target messages in READ_ONLY or FAIL mode";
            log.error(why);
            throw new DmException(Errno.EOPNOTSUPP, why);
        }
        if (words.getFirst().equalsIgnoreCase("invalidate_cblocks")) {
            invalidateCblocks(words.subList(1, words.size()));
            return "";
        }
        if (words.size() != 2) {
            throw new DmException(Errno.EINVAL, "a cache message is <key> <value>");
        }
        setConfigValue(words.get(0), words.get(1));
        return "";
    }

    /** The core's key, or the policy's (smq and cleaner take none). */
    void setConfigValue(String key, String value) throws DmException {
        boolean ok;
        if (key.toLowerCase(Locale.ROOT).equals("migration_threshold")) {
            long v = CacheArgs.unsigned(value);
            ok = v >= 0;
            if (ok) {
                worker.migrationThreshold(v);
            }
        } else {
            ok = policy.setConfigValue(key, value);
        }
        if (!ok) {
            String why = "bad config value for " + key + ": " + value;
            log.warn(why);
            throw new DmException(Errno.EINVAL, why);
        }
    }

    /** Ranges left to right; the first bad one stops, and the earlier ones stay applied. */
    private void invalidateCblocks(List<String> ranges) throws DmException {
        if (mode != IoMode.PASSTHROUGH) {
            String why = "cache has to be in passthrough mode for invalidation";
            log.error(why);
            throw new DmException(Errno.EPERM, why);
        }
        for (String text : ranges) {
            CblockRange r = CblockRange.parse(text, log);
            r.validate(cacheSize.getAsLong(), log);
            for (long c = r.begin(); c < r.end(); c++) {
                try {
                    invalidator.invalidate(c);
                } catch (IOException e) {
                    throw new DmException(BlockIoException.errnoOf(e), e.getMessage(), e);
                }
            }
        }
    }
}
