package io.tiercache.core.tools;

import io.tiercache.spi.metadata.MetadataImage;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import javax.xml.stream.Location;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * Reads {@code cache_restore}'s XML (spec §9) as a stream, so a million mappings never sit in
 * memory: the superblock, then mappings, hints and discard ranges in that order. What either tool
 * generation's dumper writes is accepted (with or without the final newline, any attribute order);
 * what would make bad metadata is refused with the line it is on: a cache block beyond
 * {@code nr_cache_blocks}, cache blocks out of order (tools 1.1 refuse that too), hints of the wrong
 * width, an XML file that stops early.
 */
public final class XmlImageReader implements MetadataImage.Source {
    private static final long MAX_ORIGIN = (1L << 48) - 1;
    private static final long MAX_CACHE_BLOCKS = 0xFFFF_FFFFL;
    private static final int PROGRESS_EVERY = 4096;

    private final Path file;
    private final Progress progress;

    public XmlImageReader(Path file, Progress progress) {
        this.file = file;
        this.progress = progress;
    }

    /** A malformed or unacceptable XML image, with where in the file. */
    public static final class XmlImageException extends IOException {
        private static final long serialVersionUID = 1L;

        XmlImageException(String message) {
            super(message);
        }
    }

    @Override
    public void replay(MetadataImage.Visitor visitor) throws IOException {
        long size = Files.size(file);
        try (Counting in = new Counting(Files.newInputStream(file))) {
            XMLStreamReader xml = factory().createXMLStreamReader(in);
            try {
                new Parse(xml, visitor, in, size).document();
            } finally {
                xml.close();
            }
        } catch (XMLStreamException e) {
            Location l = e.getLocation();
            String at = l == null ? "" : l.getLineNumber() + ":" + l.getColumnNumber() + ": ";
            throw new XmlImageException(file + ":" + at + "not well-formed XML: " + stripLocation(e.getMessage()));
        }
    }

    private static String stripLocation(String message) {
        int i = message == null ? -1 : message.indexOf("Message: ");
        return i < 0 ? String.valueOf(message) : message.substring(i + "Message: ".length());
    }

    private static XMLInputFactory factory() {
        XMLInputFactory f = XMLInputFactory.newFactory();
        // An image is data: no DTD, no entity from anywhere else.
        f.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        f.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        return f;
    }

    /** One pass over the document, holding what the order checks need. */
    private final class Parse {
        private final XMLStreamReader xml;
        private final MetadataImage.Visitor visitor;
        private final Counting in;
        private final long size;
        private long nrCacheBlocks;
        private int hintWidth;
        private long lastMapping = -1;
        private long lastHint = -1;
        private long lastDiscardEnd = -1;
        private int section;
        private long elements;

        Parse(XMLStreamReader xml, MetadataImage.Visitor visitor, Counting in, long size) {
            this.xml = xml;
            this.visitor = visitor;
            this.in = in;
            this.size = size;
        }

        void document() throws XMLStreamException, IOException {
            if (xml.nextTag() != XMLStreamConstants.START_ELEMENT || !xml.getLocalName().equals("superblock")) {
                throw error("the root element must be <superblock>");
            }
            superblock();
            while (xml.nextTag() == XMLStreamConstants.START_ELEMENT) {
                switch (xml.getLocalName()) {
                    case "mappings" -> section(1, "mapping", this::mapping);
                    case "hints" -> section(2, "hint", this::hint);
                    case "discards" -> section(3, "discard", this::discard);
                    default -> throw error("unexpected <" + xml.getLocalName() + "> in <superblock>");
                }
            }
            while (xml.hasNext()) {
                xml.next();
            }
            visitor.end();
            progress.update(size, size);
        }

        private void superblock() throws XMLStreamException, IOException {
            String uuid = xml.getAttributeValue(null, "uuid");
            long blockSize = number("block_size", 1, MAX_CACHE_BLOCKS);
            nrCacheBlocks = number("nr_cache_blocks", 1, MAX_CACHE_BLOCKS);
            String policy = required("policy");
            if (policy.length() > 15) {
                throw error("policy name '" + policy + "' is longer than 15 characters");
            }
            hintWidth = (int) number("hint_width", 0, 128);
            visitor.superblock(new MetadataImage.Superblock(uuid == null ? "" : uuid, blockSize, nrCacheBlocks, policy,
                    hintWidth));
        }

        private interface Element {
            void read() throws XMLStreamException, IOException;
        }

        /** A section: its elements in order; sections come in the order mappings, hints, discards. */
        private void section(int order, String child, Element element) throws XMLStreamException, IOException {
            if (order <= section) {
                throw error("<" + xml.getLocalName() + "> must come before the sections already read, and only once");
            }
            section = order;
            while (xml.nextTag() == XMLStreamConstants.START_ELEMENT) {
                if (!xml.getLocalName().equals(child)) {
                    throw error("unexpected <" + xml.getLocalName() + ">, expected <" + child + ">");
                }
                element.read();
                if (xml.nextTag() != XMLStreamConstants.END_ELEMENT) {
                    throw error("<" + child + "> must be empty");
                }
                if (++elements % PROGRESS_EVERY == 0) {
                    progress.update(in.count, size);
                }
            }
        }

        private void mapping() throws XMLStreamException, IOException {
            long cb = cacheBlock(lastMapping, "mapping");
            long origin = number("origin_block", 0, MAX_ORIGIN);
            String dirty = required("dirty");
            if (!dirty.equals("true") && !dirty.equals("false")) {
                throw error("dirty=\"" + dirty + "\": must be true or false");
            }
            lastMapping = cb;
            visitor.mapping(cb, origin, dirty.equals("true"));
        }

        private void hint() throws XMLStreamException, IOException {
            long cb = cacheBlock(lastHint, "hint");
            byte[] data;
            try {
                data = Base64.getDecoder().decode(required("data"));
            } catch (IllegalArgumentException e) {
                throw error("hint data is not base64: " + e.getMessage());
            }
            if (hintWidth != 0 && data.length != hintWidth) {
                throw error("hint of " + data.length + " bytes, but hint_width is " + hintWidth);
            }
            lastHint = cb;
            visitor.hint(cb, data);
        }

        private void discard() throws XMLStreamException, IOException {
            long begin = number("dbegin", 0, Long.MAX_VALUE);
            long end = number("dend", 0, Long.MAX_VALUE);
            if (end <= begin || begin < lastDiscardEnd) {
                throw error("discard range [" + begin + ", " + end + ") is empty, or overlaps or precedes the one before");
            }
            lastDiscardEnd = end;
            visitor.discard(begin, end);
        }

        private long cacheBlock(long last, String what) throws XMLStreamException, XmlImageException {
            long cb = number("cache_block", 0, MAX_CACHE_BLOCKS);
            if (cb >= nrCacheBlocks) {
                throw error(what + " for cache block " + cb + ", beyond nr_cache_blocks (" + nrCacheBlocks + ")");
            }
            if (cb <= last) {
                throw error(what + " for cache block " + cb + " after cache block " + last
                        + ": cache blocks must be in ascending order, each once");
            }
            return cb;
        }

        private String required(String name) throws XmlImageException {
            String v = xml.getAttributeValue(null, name);
            if (v == null) {
                throw error("<" + xml.getLocalName() + "> lacks the attribute " + name);
            }
            return v;
        }

        private long number(String name, long min, long max) throws XmlImageException {
            String v = required(name);
            try {
                long n = Long.parseLong(v);
                if (n < min || n > max) {
                    throw error(name + "=\"" + v + "\" is out of range (" + min + " to " + max + ")");
                }
                return n;
            } catch (NumberFormatException e) {
                throw error(name + "=\"" + v + "\" is not a number");
            }
        }

        private XmlImageException error(String what) {
            Location l = xml.getLocation();
            return new XmlImageException(file + ":" + l.getLineNumber() + ":" + l.getColumnNumber() + ": " + what);
        }
    }

    /** Counts the bytes the parser has taken, for the progress bar. */
    private static final class Counting extends FilterInputStream {
        long count;

        Counting(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            count += b < 0 ? 0 : 1;
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            count += Math.max(0, n);
            return n;
        }
    }
}
