package io.tiercache.spi.pdata;

import java.io.IOException;
import java.util.Base64;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.UnaryOperator;

/**
 * A minimal dm-cache metadata writer on top of pdata, for tests only (the real one belongs to the
 * format plugins): mapping array, hint array (4 bytes), dirty bitset (format 2) and an empty discard
 * bitset, with an in-memory model of what should be on disk and the XML cache_dump should print.
 */
final class TestCache {
    static final long VALID = 1;
    static final long DIRTY = 2;

    record Mapping(long origin, boolean dirty) {}

    final TransactionManager tm;
    final int version;
    final int blockSize;
    final DmArray mappings;
    final DmArray hints;
    final DmBitset dirty;
    final DmBitset discards;
    final TreeMap<Integer, Mapping> model = new TreeMap<>();
    final TreeMap<Integer, Integer> hintModel = new TreeMap<>();
    int cacheBlocks;

    private TestCache(TransactionManager tm, int version, int blockSize, DmArray mappings, DmArray hints,
            DmBitset dirty, DmBitset discards, int cacheBlocks) {
        this.tm = tm;
        this.version = version;
        this.blockSize = blockSize;
        this.mappings = mappings;
        this.hints = hints;
        this.dirty = dirty;
        this.discards = discards;
        this.cacheBlocks = cacheBlocks;
    }

    /** Formats and sizes new metadata (nothing committed yet). */
    static TestCache format(TransactionManager tm, int version, int cacheBlocks) throws IOException {
        DmArray m = DmArray.create(tm, "mapping array", 8);
        DmBitset d = version >= 2 ? DmBitset.create(tm, "dirty bitset") : null;
        DmBitset disc = DmBitset.create(tm, "discard bitset");
        DmArray h = DmArray.create(tm, "hint array", 4);
        TestCache c = new TestCache(tm, version, 128, m, h, d, disc, 0);
        c.resize(cacheBlocks);
        return c;
    }

    /** Opens what a previous commit wrote (models start empty; {@link #load} fills them). */
    static TestCache open(TransactionManager tm) {
        CacheSuperblock sb = tm.superblock();
        DmArray m = DmArray.open(tm, "mapping array", 8, sb.mappingRoot(), sb.cacheBlocks());
        DmArray h = DmArray.open(tm, "hint array", 4, sb.hintRoot(), sb.cacheBlocks());
        DmBitset d = sb.version() >= 2 ? DmBitset.open(tm, "dirty bitset", sb.dirtyRoot(), sb.cacheBlocks()) : null;
        DmBitset disc = DmBitset.open(tm, "discard bitset", sb.discardRoot(), sb.discardNrBlocks());
        return new TestCache(tm, sb.version(), sb.dataBlockSize(), m, h, d, disc, sb.cacheBlocks());
    }

    /** Reads the mappings and hints from disk into the models. */
    TestCache load() throws IOException {
        model.clear();
        hintModel.clear();
        mappings.forEach((cb, word) -> {
            if ((word & VALID) != 0) {
                boolean isDirty = version >= 2 ? dirty.test(cb) : (word & DIRTY) != 0;
                model.put((int) cb, new Mapping(word >>> 16, isDirty));
                hintModel.put((int) cb, (int) hints.get(cb));
            }
        });
        return this;
    }

    void resize(int n) throws IOException {
        mappings.resize(n, 0);
        hints.resize(n, 0);
        if (dirty != null) {
            dirty.resize(n, false);
        }
        model.keySet().removeIf(cb -> cb >= n);
        hintModel.keySet().removeIf(cb -> cb >= n);
        cacheBlocks = n;
    }

    void map(int cb, long origin, boolean isDirty, int hint) throws IOException {
        long flags = VALID | (version == 1 && isDirty ? DIRTY : 0);
        mappings.set(cb, origin << 16 | flags);
        if (dirty != null) {
            dirty.set(cb, isDirty);
        }
        hints.set(cb, hint & 0xFFFFFFFFL);
        model.put(cb, new Mapping(origin, isDirty));
        hintModel.put(cb, hint);
    }

    void unmap(int cb) throws IOException {
        mappings.set(cb, 0);
        if (dirty != null) {
            dirty.clear(cb);
        }
        hints.set(cb, 0);
        model.remove(cb);
        hintModel.remove(cb);
    }

    /** Commits with the superblock tiercache writes (spec §11.1); {@code clean} sets CLEAN_SHUTDOWN. */
    CacheSuperblock commit(boolean clean) throws IOException {
        return tm.commit(fill(clean));
    }

    /** The superblock filler of a commit; flushes the bitsets' cached words first. */
    UnaryOperator<CacheSuperblock> fill(boolean clean) throws IOException {
        long dirtyRoot = dirty != null ? dirty.root() : 0;
        long discardRoot = discards.root();
        return sb -> sb.toBuilder()
                .flags(clean ? CacheSuperblock.FLAG_CLEAN_SHUTDOWN : 0)
                .version(version)
                .policyName("smq").policyHintSize(4)
                .policyVersion(new CacheSuperblock.PolicyVersion(2, 0, 0))
                .mappingRoot(mappings.root()).hintRoot(hints.root()).discardRoot(discardRoot)
                .discardBlockSize(0).discardNrBlocks(discards.nrBits()).dirtyRoot(dirtyRoot)
                .dataBlockSize(blockSize).cacheBlocks(cacheBlocks)
                .build();
    }

    /** The XML cache_dump prints for the model (tools 1.1 style: no final newline). */
    String expectedXml() {
        StringBuilder out = new StringBuilder();
        out.append("<superblock uuid=\"\" block_size=\"").append(blockSize).append("\" nr_cache_blocks=\"")
                .append(cacheBlocks).append("\" policy=\"smq\" hint_width=\"4\">\n  <mappings>\n");
        for (Map.Entry<Integer, Mapping> e : model.entrySet()) {
            out.append("    <mapping cache_block=\"").append(e.getKey()).append("\" origin_block=\"")
                    .append(e.getValue().origin()).append("\" dirty=\"").append(e.getValue().dirty()).append("\"/>\n");
        }
        out.append("  </mappings>\n  <hints>\n");
        for (Map.Entry<Integer, Integer> e : hintModel.entrySet()) {
            int h = e.getValue();
            byte[] raw = {(byte) h, (byte) (h >>> 8), (byte) (h >>> 16), (byte) (h >>> 24)};
            out.append("    <hint cache_block=\"").append(e.getKey()).append("\" data=\"")
                    .append(Base64.getEncoder().encodeToString(raw)).append("\"/>\n");
        }
        out.append("  </hints>\n</superblock>");
        return out.toString();
    }
}
