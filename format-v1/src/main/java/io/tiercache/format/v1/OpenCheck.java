package io.tiercache.format.v1;

import io.tiercache.spi.block.BlockIoException;
import io.tiercache.spi.block.Errno;
import io.tiercache.spi.pdata.CacheSuperblock;
import io.tiercache.spi.pdata.ReferenceCounter;
import io.tiercache.spi.pdata.TransactionManager;
import java.io.IOException;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What must hold before metadata is opened for writing: every block reachable from the superblock
 * reads back intact (checksum, self-location, header, shape) and the space map counts at least the
 * references found. Writing on top of a damaged structure would spread the damage (a block the space
 * map thinks free would be handed out again while still in use), so such an open is refused with
 * the damaged block named; read-only opens skip this and fail only when they reach the damage.
 *
 * <p>The kernel does not do this; it costs one read of every metadata block, which loading the
 * mappings does anyway. Leaked blocks (counted but unreferenced, as in every tools 0.9 image) only
 * waste space and are reported, not refused.
 */
final class OpenCheck {
    private static final Logger LOG = LoggerFactory.getLogger(OpenCheck.class);

    private OpenCheck() {}

    static void verify(TransactionManager tm) throws IOException {
        CacheSuperblock sb = tm.superblock();
        ReferenceCounter rc = new ReferenceCounter(tm).addCacheMetadata(sb);
        List<String> problems = rc.problems();
        if (!problems.isEmpty()) {
            throw refuse(problems.getFirst(), problems.size());
        }
        List<String> counts = rc.compareWithSpaceMap();
        List<String> unsafe = counts.stream().filter(c -> !c.endsWith("(leaked)")).toList();
        if (!unsafe.isEmpty()) {
            throw refuse(unsafe.getFirst(), unsafe.size());
        }
        if (!counts.isEmpty()) {
            LOG.warn("{} metadata block(s) leaked (allocated, referenced by nothing), e.g. {}; harmless, "
                    + "cache_check 1.1 --auto-repair reclaims them", counts.size(), counts.getFirst());
        }
    }

    private static BlockIoException refuse(String first, int count) {
        return new BlockIoException(Errno.EIO, "refusing to open the metadata for writing: " + first
                + (count > 1 ? " (and " + (count - 1) + " more problem(s))" : "")
                + "; check and repair it with cache_check / cache_repair");
    }
}
