package io.tiercache.core.metadata;

import io.tiercache.spi.block.BlockIoException;
import io.tiercache.spi.block.Errno;
import io.tiercache.spi.metadata.MetadataImage;
import java.io.IOException;
import java.io.InputStream;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * The XML of {@code cache_dump} / {@code cache_restore} (spec §9), streamed both ways through
 * {@link MetadataImage}: a writer that prints exactly what the tools print (two-space indentation,
 * attributes in their order, empty sections kept; tools 0.9's final newline) and a StAX reader for
 * files of millions of mappings.
 */
public final class MetadataXml {
    private MetadataXml() {}

    /** A visitor that prints the image to {@code out} (the caller closes {@code out}). */
    public static MetadataImage.Visitor writer(Writer out) {
        return new XmlWriter(out);
    }

    /** An image source reading {@code file} (parsed anew at each replay). */
    public static MetadataImage.Source reader(Path file) {
        return visitor -> {
            try (InputStream in = Files.newInputStream(file)) {
                replay(in, visitor);
            }
        };
    }

    /** Parses one XML document from {@code in} into {@code visitor}. */
    public static void replay(InputStream in, MetadataImage.Visitor visitor) throws IOException {
        XMLInputFactory factory = XMLInputFactory.newFactory();
        factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        try {
            XMLStreamReader xml = factory.createXMLStreamReader(in);
            try {
                parse(xml, visitor);
            } finally {
                xml.close();
            }
        } catch (XMLStreamException e) {
            throw new BlockIoException(Errno.EINVAL, "bad metadata XML: " + e.getMessage(), e);
        }
    }

    private static void parse(XMLStreamReader xml, MetadataImage.Visitor visitor) throws XMLStreamException, IOException {
        boolean superblock = false;
        while (xml.hasNext()) {
            if (xml.next() != XMLStreamConstants.START_ELEMENT) {
                continue;
            }
            switch (xml.getLocalName()) {
                case "superblock" -> {
                    superblock = true;
                    visitor.superblock(new MetadataImage.Superblock(attr(xml, "uuid", ""),
                            number(xml, "block_size"), number(xml, "nr_cache_blocks"), attr(xml, "policy", ""),
                            Math.toIntExact(number(xml, "hint_width"))));
                }
                case "mapping" -> visitor.mapping(number(xml, "cache_block"), number(xml, "origin_block"),
                        bool(xml, "dirty"));
                case "hint" -> visitor.hint(number(xml, "cache_block"), base64(xml, "data"));
                case "discard" -> visitor.discard(number(xml, "dbegin"), number(xml, "dend"));
                case "mappings", "hints", "discards" -> { }
                default -> throw new BlockIoException(Errno.EINVAL, "unknown element <" + xml.getLocalName()
                        + "> at line " + xml.getLocation().getLineNumber());
            }
            if (!superblock) {
                throw new BlockIoException(Errno.EINVAL, "metadata XML must start with <superblock>");
            }
        }
        visitor.end();
    }

    private static String attr(XMLStreamReader xml, String name, String absent) {
        String v = xml.getAttributeValue(null, name);
        return v == null ? absent : v;
    }

    private static String required(XMLStreamReader xml, String name) throws BlockIoException {
        String v = xml.getAttributeValue(null, name);
        if (v == null) {
            throw new BlockIoException(Errno.EINVAL, "<" + xml.getLocalName() + "> without " + name + " at line "
                    + xml.getLocation().getLineNumber());
        }
        return v;
    }

    private static long number(XMLStreamReader xml, String name) throws BlockIoException {
        String v = required(xml, name);
        try {
            return Long.parseUnsignedLong(v);
        } catch (NumberFormatException e) {
            throw new BlockIoException(Errno.EINVAL, name + "=\"" + v + "\" is not a number at line "
                    + xml.getLocation().getLineNumber());
        }
    }

    private static boolean bool(XMLStreamReader xml, String name) throws BlockIoException {
        return switch (required(xml, name)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new BlockIoException(Errno.EINVAL, name + " must be true or false at line "
                    + xml.getLocation().getLineNumber());
        };
    }

    private static byte[] base64(XMLStreamReader xml, String name) throws BlockIoException {
        try {
            return Base64.getDecoder().decode(required(xml, name));
        } catch (IllegalArgumentException e) {
            throw new BlockIoException(Errno.EINVAL, "bad base64 in " + name + " at line "
                    + xml.getLocation().getLineNumber());
        }
    }

    /** Prints sections lazily so that they come out in order and empty ones still appear. */
    private static final class XmlWriter implements MetadataImage.Visitor {
        private static final String[] SECTIONS = {"mappings", "hints"};
        private final Writer out;
        /** Index into {@link #SECTIONS} of the open section; 2 = discards; -1 = none yet. */
        private int section = -1;

        XmlWriter(Writer out) {
            this.out = out;
        }

        @Override
        public void superblock(MetadataImage.Superblock sb) throws IOException {
            out.write("<superblock uuid=\"" + escape(sb.uuid()) + "\" block_size=\"" + sb.blockSize()
                    + "\" nr_cache_blocks=\"" + sb.nrCacheBlocks() + "\" policy=\"" + escape(sb.policy())
                    + "\" hint_width=\"" + sb.hintWidth() + "\">\n");
            moveTo(0);
        }

        @Override
        public void mapping(long cblock, long oblock, boolean dirty) throws IOException {
            moveTo(0);
            out.write("    <mapping cache_block=\"" + cblock + "\" origin_block=\"" + oblock + "\" dirty=\""
                    + dirty + "\"/>\n");
        }

        @Override
        public void hint(long cblock, byte[] data) throws IOException {
            moveTo(1);
            out.write("    <hint cache_block=\"" + cblock + "\" data=\"" + Base64.getEncoder().encodeToString(data)
                    + "\"/>\n");
        }

        @Override
        public void discard(long dbegin, long dend) throws IOException {
            moveTo(2);
            out.write("    <discard dbegin=\"" + dbegin + "\" dend=\"" + dend + "\"/>\n");
        }

        @Override
        public void end() throws IOException {
            moveTo(Math.max(section, 1));
            close(section);
            out.write("</superblock>\n");
            out.flush();
        }

        private void moveTo(int wanted) throws IOException {
            while (section < wanted) {
                close(section);
                section++;
                out.write("  <" + name(section) + ">\n");
            }
            if (section > wanted) {
                throw new BlockIoException(Errno.EINVAL, "image out of order: " + name(wanted) + " after "
                        + name(section));
            }
        }

        private void close(int s) throws IOException {
            if (s >= 0) {
                out.write("  </" + name(s) + ">\n");
            }
        }

        private static String name(int s) {
            return s < SECTIONS.length ? SECTIONS[s] : "discards";
        }

        private static String escape(String s) {
            return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
        }
    }
}
