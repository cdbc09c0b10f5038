package io.tiercache.spi.metadata;

import java.io.IOException;

/**
 * The content of a metadata device in the terms of {@code cache_dump}'s XML, the intermediate form
 * of the offline tools (as thin-provisioning-tools' IR): a superblock, then mappings, hints and
 * discard ranges, streamed so that millions of mappings never sit in memory at once.
 */
public final class MetadataImage {
    private MetadataImage() {}

    /**
     * The XML root's attributes.
     *
     * @param uuid always empty in practice
     * @param blockSize cache block size in sectors
     * @param nrCacheBlocks number of cache blocks
     * @param policy the policy name recorded with the hints
     * @param hintWidth bytes per hint (0 or 4)
     */
    public record Superblock(String uuid, long blockSize, long nrCacheBlocks, String policy, int hintWidth) {}

    /** Receives an image in order: superblock, mappings, hints, discards (each ascending). */
    public interface Visitor {
        void superblock(Superblock sb) throws IOException;

        void mapping(long cblock, long oblock, boolean dirty) throws IOException;

        void hint(long cblock, byte[] data) throws IOException;

        /** A half-open range {@code [dbegin, dend)} of discarded discard blocks. */
        default void discard(long dbegin, long dend) throws IOException {}

        default void end() throws IOException {}
    }

    /** Something that can replay an image into a visitor (a parsed XML file, another device). */
    @FunctionalInterface
    public interface Source {
        void replay(Visitor visitor) throws IOException;
    }
}
