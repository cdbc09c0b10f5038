package io.tiercache.spi.pdata;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * The dm-cache superblock, block 0 (spec §3), shared by metadata formats 1 and 2. The checksum,
 * {@code blocknr} (0) and {@code magic} are not components: {@link #decode} checks them and
 * {@link #encode} writes them. {@code dirtyRoot} exists only in format 2; it decodes as 0 in format 1
 * and is not written there. The codec is here because the transaction manager finds the space map
 * through it; the meaning of the roots belongs to the format.
 */
public record CacheSuperblock(
        int flags, UUID uuid, int version, String policyName, int policyHintSize,
        SpaceMapRoot spaceMapRoot, long mappingRoot, long hintRoot, long discardRoot,
        long discardBlockSize, long discardNrBlocks, int dataBlockSize, int metadataBlockSize,
        int cacheBlocks, int compatFlags, int compatRoFlags, int incompatFlags,
        int readHits, int readMisses, int writeHits, int writeMisses,
        PolicyVersion policyVersion, long dirtyRoot) {

    public static final long MAGIC = 06142003L;
    public static final int FLAG_CLEAN_SHUTDOWN = 1;
    public static final int FLAG_NEEDS_CHECK = 2;
    /** Bytes of the packed structure in format 2 (284 in format 1). */
    public static final int PACKED_SIZE_V2 = 292;
    public static final int METADATA_BLOCK_SECTORS = 8;
    static final Validator VALIDATOR = new Validator(BlockKind.SUPERBLOCK, "cache");
    private static final UUID ZERO_UUID = new UUID(0, 0);
    private static final int POLICY_NAME_SIZE = 16;

    /** major.minor.patch of the policy that wrote the hints. */
    public record PolicyVersion(int major, int minor, int patch) {
        public static final PolicyVersion NONE = new PolicyVersion(0, 0, 0);
    }

    public CacheSuperblock {
        if (policyName.length() >= POLICY_NAME_SIZE || !StandardCharsets.US_ASCII.newEncoder().canEncode(policyName)) {
            throw new IllegalArgumentException("policy name must be at most 15 ASCII characters: " + policyName);
        }
    }

    /**
     * What a fresh format starts from (spec §7.2): flags 0, zero uuid, no policy, no hints,
     * metadata block size 8, zero sizes, statistics and roots. The format fills the rest.
     */
    public static CacheSuperblock blank(int version) {
        return new CacheSuperblock(0, ZERO_UUID, version, "", 0, new SpaceMapRoot(0, 0, 0, 0), 0, 0, 0, 0, 0, 0,
                METADATA_BLOCK_SECTORS, 0, 0, 0, 0, 0, 0, 0, 0, PolicyVersion.NONE, 0);
    }

    public boolean cleanShutdown() {
        return (flags & FLAG_CLEAN_SHUTDOWN) != 0;
    }

    public boolean needsCheck() {
        return (flags & FLAG_NEEDS_CHECK) != 0;
    }

    /** Validates (self-location 0, checksum, magic, version 1..2) and decodes block 0. */
    public static CacheSuperblock decode(ByteBuffer block) throws MetadataCorruptException {
        ByteBuffer b = block.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        VALIDATOR.check(b, 0);
        if (b.getLong(32) != MAGIC) {
            throw VALIDATOR.corrupt(0, String.format("bad magic 0x%X, expected 0x%X", b.getLong(32), MAGIC));
        }
        int version = b.getInt(40);
        if (version < 1 || version > 2) {
            throw VALIDATOR.corrupt(0, "unsupported metadata version " + Integer.toUnsignedString(version));
        }
        UUID uuid = new UUID(Long.reverseBytes(b.getLong(16)), Long.reverseBytes(b.getLong(24)));
        return new CacheSuperblock(b.getInt(4), uuid, version, policyName(b), b.getInt(60),
                SpaceMapRoot.decode(b, 64), b.getLong(192), b.getLong(200), b.getLong(208), b.getLong(216),
                b.getLong(224), b.getInt(232), b.getInt(236), b.getInt(240), b.getInt(244), b.getInt(248),
                b.getInt(252), b.getInt(256), b.getInt(260), b.getInt(264), b.getInt(268),
                new PolicyVersion(b.getInt(272), b.getInt(276), b.getInt(280)), version >= 2 ? b.getLong(284) : 0);
    }

    /** Writes the structure into a block that is all zero past it; the caller stamps the checksum. */
    public void encode(ByteBuffer block) {
        ByteBuffer b = block.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < BlockManager.BLOCK_SIZE; i += 8) {
            b.putLong(i, 0);
        }
        b.putInt(4, flags).putLong(8, 0);
        // Stored as raw bytes; writing the UUID big-endian keeps toString() equal to the byte order.
        b.putLong(16, Long.reverseBytes(uuid.getMostSignificantBits()))
                .putLong(24, Long.reverseBytes(uuid.getLeastSignificantBits()));
        b.putLong(32, MAGIC).putInt(40, version);
        byte[] name = policyName.getBytes(StandardCharsets.US_ASCII);
        b.put(44, name);
        b.putInt(60, policyHintSize);
        spaceMapRoot.encode(b, 64);
        b.putLong(192, mappingRoot).putLong(200, hintRoot).putLong(208, discardRoot)
                .putLong(216, discardBlockSize).putLong(224, discardNrBlocks)
                .putInt(232, dataBlockSize).putInt(236, metadataBlockSize).putInt(240, cacheBlocks)
                .putInt(244, compatFlags).putInt(248, compatRoFlags).putInt(252, incompatFlags)
                .putInt(256, readHits).putInt(260, readMisses).putInt(264, writeHits).putInt(268, writeMisses)
                .putInt(272, policyVersion.major()).putInt(276, policyVersion.minor()).putInt(280, policyVersion.patch());
        if (version >= 2) {
            b.putLong(284, dirtyRoot);
        }
    }

    private static String policyName(ByteBuffer b) {
        int len = 0;
        while (len < POLICY_NAME_SIZE && b.get(44 + len) != 0) {
            len++;
        }
        // A 16-character name without NUL is invalid for tools 0.9; keep 15 so the record stays encodable.
        byte[] raw = new byte[Math.min(len, POLICY_NAME_SIZE - 1)];
        b.get(44, raw);
        return new String(raw, StandardCharsets.US_ASCII);
    }

    public CacheSuperblock withFlags(int newFlags) {
        return toBuilder().flags(newFlags).build();
    }

    public CacheSuperblock withSpaceMapRoot(SpaceMapRoot root) {
        return toBuilder().spaceMapRoot(root).build();
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    /** Fluent copy-and-change, since most commits change only a few of the 23 fields. */
    public static final class Builder {
        private int flags, version, policyHintSize, dataBlockSize, metadataBlockSize, cacheBlocks;
        private int compatFlags, compatRoFlags, incompatFlags, readHits, readMisses, writeHits, writeMisses;
        private UUID uuid;
        private String policyName;
        private SpaceMapRoot spaceMapRoot;
        private long mappingRoot, hintRoot, discardRoot, discardBlockSize, discardNrBlocks, dirtyRoot;
        private PolicyVersion policyVersion;

        private Builder(CacheSuperblock s) {
            flags = s.flags; uuid = s.uuid; version = s.version; policyName = s.policyName;
            policyHintSize = s.policyHintSize; spaceMapRoot = s.spaceMapRoot; mappingRoot = s.mappingRoot;
            hintRoot = s.hintRoot; discardRoot = s.discardRoot; discardBlockSize = s.discardBlockSize;
            discardNrBlocks = s.discardNrBlocks; dataBlockSize = s.dataBlockSize;
            metadataBlockSize = s.metadataBlockSize; cacheBlocks = s.cacheBlocks; compatFlags = s.compatFlags;
            compatRoFlags = s.compatRoFlags; incompatFlags = s.incompatFlags; readHits = s.readHits;
            readMisses = s.readMisses; writeHits = s.writeHits; writeMisses = s.writeMisses;
            policyVersion = s.policyVersion; dirtyRoot = s.dirtyRoot;
        }

        public Builder flags(int v) { flags = v; return this; }
        public Builder uuid(UUID v) { uuid = v; return this; }
        public Builder version(int v) { version = v; return this; }
        public Builder policyName(String v) { policyName = v; return this; }
        public Builder policyHintSize(int v) { policyHintSize = v; return this; }
        public Builder spaceMapRoot(SpaceMapRoot v) { spaceMapRoot = v; return this; }
        public Builder mappingRoot(long v) { mappingRoot = v; return this; }
        public Builder hintRoot(long v) { hintRoot = v; return this; }
        public Builder discardRoot(long v) { discardRoot = v; return this; }
        public Builder discardBlockSize(long v) { discardBlockSize = v; return this; }
        public Builder discardNrBlocks(long v) { discardNrBlocks = v; return this; }
        public Builder dataBlockSize(int v) { dataBlockSize = v; return this; }
        public Builder metadataBlockSize(int v) { metadataBlockSize = v; return this; }
        public Builder cacheBlocks(int v) { cacheBlocks = v; return this; }
        public Builder compatFlags(int v) { compatFlags = v; return this; }
        public Builder compatRoFlags(int v) { compatRoFlags = v; return this; }
        public Builder incompatFlags(int v) { incompatFlags = v; return this; }
        public Builder stats(int rh, int rm, int wh, int wm) {
            readHits = rh; readMisses = rm; writeHits = wh; writeMisses = wm; return this;
        }
        public Builder policyVersion(PolicyVersion v) { policyVersion = v; return this; }
        public Builder dirtyRoot(long v) { dirtyRoot = v; return this; }

        public CacheSuperblock build() {
            return new CacheSuperblock(flags, uuid, version, policyName, policyHintSize, spaceMapRoot, mappingRoot,
                    hintRoot, discardRoot, discardBlockSize, discardNrBlocks, dataBlockSize, metadataBlockSize,
                    cacheBlocks, compatFlags, compatRoFlags, incompatFlags, readHits, readMisses, writeHits,
                    writeMisses, policyVersion, dirtyRoot);
        }
    }
}
