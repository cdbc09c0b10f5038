package io.tiercache.core.metadata;

import io.tiercache.spi.metadata.MetadataImage;
import java.io.IOException;
import java.io.StringWriter;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a metadata device should dump to, kept alongside a test's SPI calls: the stored mappings
 * with their stored dirty bits, and the hint array's content (zero where never written). Models
 * the SPI's on-disk effects: an insert stores a clean mapping, dirty bits change only through
 * setDirtyBits, writeHints replaces every hint.
 */
public final class ExpectedImage implements MetadataImage.Source {
    public record Mapping(long origin, boolean dirty) {}

    public long blockSize;
    public long nrCacheBlocks;
    public String policy = "";
    public int hintWidth = 4;
    public final TreeMap<Long, Mapping> mappings = new TreeMap<>();
    public final TreeMap<Long, byte[]> hints = new TreeMap<>();

    public ExpectedImage(long blockSize, long nrCacheBlocks) {
        this.blockSize = blockSize;
        this.nrCacheBlocks = nrCacheBlocks;
    }

    /** Collects an image (a parsed XML file, a dump) into a model. */
    public static ExpectedImage read(MetadataImage.Source source) throws IOException {
        ExpectedImage[] image = new ExpectedImage[1];
        source.replay(new MetadataImage.Visitor() {
            @Override
            public void superblock(MetadataImage.Superblock sb) {
                image[0] = new ExpectedImage(sb.blockSize(), sb.nrCacheBlocks());
                image[0].policy = sb.policy();
                image[0].hintWidth = sb.hintWidth();
            }

            @Override
            public void mapping(long cblock, long oblock, boolean dirty) {
                image[0].mappings.put(cblock, new Mapping(oblock, dirty));
            }

            @Override
            public void hint(long cblock, byte[] data) {
                image[0].hints.put(cblock, data);
            }
        });
        return image[0];
    }

    public void insert(long cb, long origin) {
        mappings.put(cb, new Mapping(origin, false));
    }

    public void remove(long cb) {
        mappings.remove(cb);
    }

    public void setDirty(long cb, boolean dirty) {
        mappings.computeIfPresent(cb, (k, m) -> new Mapping(m.origin(), dirty));
    }

    public void resize(long n) {
        mappings.keySet().removeIf(cb -> cb >= n);
        hints.keySet().removeIf(cb -> cb >= n);
        nrCacheBlocks = n;
    }

    /** writeHints: every slot replaced; {@code values} holds the non-zero ones. */
    public void writeHints(String policyName, Map<Long, byte[]> values) {
        policy = policyName;
        hints.clear();
        hints.putAll(values);
    }

    @Override
    public void replay(MetadataImage.Visitor v) throws IOException {
        v.superblock(new MetadataImage.Superblock("", blockSize, nrCacheBlocks, policy, hintWidth));
        for (Map.Entry<Long, Mapping> e : mappings.entrySet()) {
            v.mapping(e.getKey(), e.getValue().origin(), e.getValue().dirty());
        }
        for (long cb : mappings.keySet()) {
            v.hint(cb, hints.getOrDefault(cb, new byte[hintWidth]));
        }
        v.end();
    }

    public String xml() throws IOException {
        StringWriter out = new StringWriter();
        replay(new io.tiercache.core.tools.XmlImageWriter(out, io.tiercache.core.tools.Progress.NONE));
        return out.toString();
    }

    /** A 4-byte little-endian hint. */
    public static byte[] hint(int value) {
        return new byte[] {(byte) value, (byte) (value >>> 8), (byte) (value >>> 16), (byte) (value >>> 24)};
    }

    @Override
    public String toString() {
        return mappings + " hints " + hints.entrySet().stream().map(e -> e.getKey() + "=" + Arrays.toString(e.getValue()))
                .toList();
    }
}
