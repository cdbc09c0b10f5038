package io.tiercache.core.tools;

import io.tiercache.spi.metadata.MetadataImage;
import java.io.IOException;
import java.io.Writer;
import java.util.Base64;

/**
 * Writes an image as {@code cache_dump} does (spec §9), byte for byte as tools 1.1 print it: the
 * root's attributes in their order, two-space indentation, one element per line, both sections
 * always present (empty ones too), and no newline after the closing tag (tools 0.9 print one).
 *
 * <p>Discard ranges are not written: neither {@code cache_dump} prints them, and the XML must stay
 * identical to theirs.
 */
public final class XmlImageWriter implements MetadataImage.Visitor {
    private enum Section { NONE, MAPPINGS, HINTS, DONE }

    private final Writer out;
    private final Progress progress;
    private Section section = Section.NONE;
    private long nrCacheBlocks;

    /** Writes to {@code out} (the caller buffers and closes it); reports cache blocks done to {@code progress}. */
    public XmlImageWriter(Writer out, Progress progress) {
        this.out = out;
        this.progress = progress;
    }

    @Override
    public void superblock(MetadataImage.Superblock sb) throws IOException {
        expect(Section.NONE, "superblock");
        nrCacheBlocks = sb.nrCacheBlocks();
        out.write("<superblock uuid=\"" + escape(sb.uuid()) + "\" block_size=\"" + sb.blockSize()
                + "\" nr_cache_blocks=\"" + sb.nrCacheBlocks() + "\" policy=\"" + escape(sb.policy())
                + "\" hint_width=\"" + sb.hintWidth() + "\">\n  <mappings>\n");
        section = Section.MAPPINGS;
    }

    @Override
    public void mapping(long cblock, long oblock, boolean dirty) throws IOException {
        expect(Section.MAPPINGS, "mapping");
        out.write("    <mapping cache_block=\"" + cblock + "\" origin_block=\"" + oblock + "\" dirty=\"" + dirty
                + "\"/>\n");
        progress.update(cblock, 2 * nrCacheBlocks);
    }

    @Override
    public void hint(long cblock, byte[] data) throws IOException {
        toHints();
        out.write("    <hint cache_block=\"" + cblock + "\" data=\"" + Base64.getEncoder().encodeToString(data)
                + "\"/>\n");
        progress.update(nrCacheBlocks + cblock, 2 * nrCacheBlocks);
    }

    @Override
    public void end() throws IOException {
        toHints();
        out.write("  </hints>\n</superblock>");
        section = Section.DONE;
        out.flush();
    }

    private void toHints() throws IOException {
        if (section == Section.MAPPINGS) {
            out.write("  </mappings>\n  <hints>\n");
            section = Section.HINTS;
        }
        expect(Section.HINTS, "hint");
    }

    private void expect(Section wanted, String what) {
        if (section != wanted) {
            throw new IllegalStateException(what + " out of order: the image is in section " + section);
        }
    }

    /** Attribute values are ASCII names in practice; escape what XML needs anyway. */
    static String escape(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '"' -> b.append("&quot;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }
}
