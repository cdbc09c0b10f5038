package io.tiercache.core.cache;

import io.tiercache.core.policy.PolicyType;
import io.tiercache.spi.metadata.CacheMetadata;
import io.tiercache.spi.policy.CachePolicy;
import java.io.IOException;

/**
 * The INFO status of target-semantics §2.1, after {@code <start> <length> cache}: seventeen fields
 * separated by single spaces, with a trailing space; {@code Fail} in fail mode, {@code Error} if
 * the metadata counts cannot be read.
 */
final class StatusLine {
    /** Status field 1: the metadata block size in sectors (4 KiB). */
    static final int METADATA_BLOCK_SECTORS = 8;
    /** Only about 255 × 16,320 blocks of a metadata device are ever used (the kernel's cap). */
    static final long MAX_METADATA_BLOCKS = 255L * 16_320;

    private StatusLine() {}

    /** What the status shows of the table: its settings. */
    record Settings(IoMode mode, boolean metadata2, boolean discardPassdown, long blockSectors, String policyName) {}

    /** The moving parts it reads. */
    record Parts(CacheMetadata metadata, MetadataModes modes, CachePolicy policy, CacheStats stats, DirtySet dirty,
            MigrationWorker worker) {}

    /** Status field 2: metadata blocks in use and usable, as the kernel counts them (capped). */
    record MetadataUsage(long used, long total) {
        static MetadataUsage of(CacheMetadata metadata) throws IOException {
            long total = Math.min(metadata.metadataDeviceBlocks(), MAX_METADATA_BLOCKS);
            return new MetadataUsage(Math.max(0, total - metadata.freeMetadataBlocks()), total);
        }
    }

    static String render(Settings s, Parts p, long cacheSize) {
        MetadataMode mode = p.modes().mode();
        if (mode == MetadataMode.FAIL) {
            return "Fail";
        }
        MetadataUsage md;
        try {
            md = MetadataUsage.of(p.metadata());
        } catch (IOException | RuntimeException e) {
            return "Error";
        }
        StringBuilder sb = new StringBuilder(160);
        sb.append(METADATA_BLOCK_SECTORS).append(' ').append(md.used()).append('/').append(md.total())
                .append(' ').append(s.blockSectors()).append(' ')
                .append(p.policy().residency()).append('/').append(cacheSize).append(' ');
        p.stats().appendCounters(sb);
        sb.append(p.dirty().count()).append(' ');
        appendFeatures(sb, s);
        sb.append("2 migration_threshold ").append(p.worker().migrationThreshold()).append(' ');
        sb.append(s.policyName()).append(' ').append(PolicyType.statusArgs(p.policy())).append(' ');
        sb.append(mode == MetadataMode.READ_ONLY ? "ro " : "rw ");
        sb.append(p.modes().needsCheckForStatus() ? "needs_check " : "- ");
        return sb.toString();
    }

    private static void appendFeatures(StringBuilder sb, Settings s) {
        int count = 1 + (s.metadata2() ? 1 : 0) + (s.discardPassdown() ? 0 : 1);
        sb.append(count).append(' ');
        if (s.metadata2()) {
            sb.append("metadata2 ");
        }
        sb.append(s.mode().word()).append(' ');
        if (!s.discardPassdown()) {
            sb.append("no_discard_passdown ");
        }
    }
}
