package io.tiercache.format.v1;

import io.tiercache.spi.block.BlockIoException;
import io.tiercache.spi.block.CacheBlock;
import io.tiercache.spi.block.Errno;
import io.tiercache.spi.metadata.CacheMetadata;
import io.tiercache.spi.metadata.MetadataStats;
import io.tiercache.spi.metadata.PolicyIdentity;
import io.tiercache.spi.pdata.BlockKind;
import io.tiercache.spi.pdata.CacheSuperblock;
import io.tiercache.spi.pdata.DmArray;
import io.tiercache.spi.pdata.DmBitset;
import io.tiercache.spi.pdata.TransactionManager;
import io.tiercache.spi.pdata.Validator;
import java.io.IOException;
import java.util.BitSet;
import java.util.function.UnaryOperator;

/**
 * The structures of one open transaction (the roots and sizes the kernel keeps in its
 * {@code dm_cache_metadata}): mapping array, hint array, dirty bits, discard bitset, and the
 * superblock fields that change with them. Built from the last committed superblock, or empty for a
 * new format; thrown away and rebuilt by abort. Every change here is copy-on-write through pdata,
 * so nothing reaches the committed state before {@link #fill} is handed to a commit.
 */
final class Transaction {
    static final String MAPPINGS = "mapping array";
    static final String HINTS = "hint array";
    static final String DISCARDS = "discard bitset";
    /** The only hint width the tools check (spec §3.2) and every in-tree policy uses. */
    static final int HINT_SIZE = 4;
    static final long MAX_CACHE_BLOCKS = 0xFFFF_FFFFL;

    final TransactionManager tm;
    final DmArray mappings;
    final DirtyBits dirty;
    /** Null when the superblock has no hint array ({@code hint_root} 0). */
    DmArray hints;
    final DmBitset discards;
    final int version;
    final long dataBlockSize;
    long cacheBlocks;
    long discardBlockSize;
    /** Name, version and hint size as stored (the raw {@code policy_hint_size}, 0 from tools 0.9). */
    PolicyIdentity policy;
    MetadataStats stats;
    boolean changed;

    private Transaction(TransactionManager tm, DmArray mappings, DirtyBits dirty, DmArray hints, DmBitset discards,
            int version, long dataBlockSize) {
        this.tm = tm;
        this.mappings = mappings;
        this.dirty = dirty;
        this.hints = hints;
        this.discards = discards;
        this.version = version;
        this.dataBlockSize = dataBlockSize;
    }

    /**
     * The structures of a freshly formatted device (spec §7.2): empty mapping array, dirty state and
     * discard bitset. Unlike the kernel, an empty 4-byte hint array is made as well: tools 1.1
     * {@code cache_dump} cannot dump an image whose {@code hint_root} is 0.
     */
    static Transaction format(TransactionManager tm, DirtyBits.Store store, int version, long dataBlockSize)
            throws IOException {
        DmArray mappings = DmArray.create(tm, MAPPINGS, 8);
        DirtyBits dirty = store.create(tm, mappings);
        DmBitset discards = DmBitset.create(tm, DISCARDS);
        DmArray hints = DmArray.create(tm, HINTS, HINT_SIZE);
        Transaction t = new Transaction(tm, mappings, dirty, hints, discards, version, dataBlockSize);
        t.policy = new PolicyIdentity("", 0, 0, 0, HINT_SIZE);
        t.stats = MetadataStats.ZERO;
        t.changed = true;
        return t;
    }

    /** The structures the last committed superblock refers to. */
    static Transaction open(TransactionManager tm, DirtyBits.Store store) throws IOException {
        CacheSuperblock sb = tm.superblock();
        if (sb.policyHintSize() != 0 && sb.policyHintSize() != HINT_SIZE) {
            throw new BlockIoException(Errno.EINVAL, "unsupported policy hint size " + sb.policyHintSize()
                    + " (only " + HINT_SIZE + "-byte hints are supported)");
        }
        long cacheBlocks = Integer.toUnsignedLong(sb.cacheBlocks());
        DmArray mappings = DmArray.open(tm, MAPPINGS, 8, sb.mappingRoot(), cacheBlocks);
        DirtyBits dirty = store.open(tm, mappings, sb);
        DmArray hints = sb.hintRoot() == 0 ? null
                : DmArray.open(tm, HINTS, hintValueSize(tm, sb), sb.hintRoot(), cacheBlocks);
        DmBitset discards = DmBitset.open(tm, DISCARDS, sb.discardRoot(), sb.discardNrBlocks());
        Transaction t = new Transaction(tm, mappings, dirty, hints, discards, sb.version(),
                Integer.toUnsignedLong(sb.dataBlockSize()));
        t.cacheBlocks = cacheBlocks;
        t.discardBlockSize = sb.discardBlockSize();
        CacheSuperblock.PolicyVersion pv = sb.policyVersion();
        t.policy = new PolicyIdentity(sb.policyName(), pv.major(), pv.minor(), pv.patch(), sb.policyHintSize());
        t.stats = new MetadataStats(Integer.toUnsignedLong(sb.readHits()), Integer.toUnsignedLong(sb.readMisses()),
                Integer.toUnsignedLong(sb.writeHits()), Integer.toUnsignedLong(sb.writeMisses()));
        return t;
    }

    /**
     * Bytes per hint. tools 0.9 store {@code policy_hint_size} 0 for 4-byte hints; the array blocks
     * then say the width (spec §11.2).
     */
    static int hintValueSize(TransactionManager tm, CacheSuperblock sb) throws IOException {
        if (sb.policyHintSize() != 0) {
            return sb.policyHintSize();
        }
        long first = DmArray.open(tm, HINTS, HINT_SIZE, sb.hintRoot(), 0).btree().lookup(sb.hintRoot(), 0, -1);
        if (first == -1) {
            return HINT_SIZE;
        }
        // Offset 12 of an array block is its value_size (spec §4.2).
        return tm.read(first, new Validator(BlockKind.ARRAY_BLOCK, HINTS)).data().getInt(12);
    }

    /** Refuses a cache block beyond the arrays (the kernel would index past them). */
    void checkCacheBlock(long cblock) throws BlockIoException {
        if (cblock < 0 || cblock >= cacheBlocks) {
            throw new BlockIoException(Errno.EINVAL, "cache block " + cblock + " beyond the cache (" + cacheBlocks
                    + " blocks)");
        }
    }

    /** Grows or shrinks every per-cache-block structure; refuses to drop a dirty block (spec target §7). */
    void resize(long newBlocks) throws IOException {
        if (newBlocks < 0 || newBlocks > MAX_CACHE_BLOCKS) {
            throw new BlockIoException(Errno.EINVAL, "cache size " + newBlocks + " blocks does not fit cache_blocks (u32)");
        }
        if (newBlocks < cacheBlocks && anyDirty(newBlocks, cacheBlocks)) {
            throw new BlockIoException(Errno.EINVAL, "unable to shrink cache due to dirty blocks");
        }
        mappings.resize(newBlocks, 0);
        dirty.resize(newBlocks);
        if (hints != null) {
            // The kernel leaves the hint array alone until the next clean shutdown; resizing it keeps
            // every commit acceptable to cache_check, which wants it to cover cache_blocks.
            hints.resize(newBlocks, new byte[hints.valueSize()]);
        }
        cacheBlocks = newBlocks;
        changed = true;
    }

    /** True if a valid mapping in {@code [from, to)} is dirty on disk (this transaction included). */
    boolean anyDirty(long from, long to) throws IOException {
        for (long cb = from; cb < to; cb++) {
            long word = mappings.get(cb);
            if (MappingWord.valid(word) && dirty.test(cb, word)) {
                return true;
            }
        }
        return false;
    }

    void insert(long cblock, long oblock) throws IOException {
        checkCacheBlock(cblock);
        mappings.set(cblock, MappingWord.pack(oblock, MappingWord.VALID));
        dirty.clear(cblock);
        changed = true;
    }

    void remove(long cblock) throws IOException {
        checkCacheBlock(cblock);
        mappings.set(cblock, 0);
        dirty.clear(cblock);
        changed = true;
    }

    /**
     * Writes the in-core dirty bits of every valid mapping (bits past {@code nrBits} count as clean)
     * and clears any stored bit of an unmapped block (tools 0.9 leave 1s there in format 2).
     */
    void setDirtyBits(long nrBits, BitSet bits) throws IOException {
        for (long cb = 0; cb < cacheBlocks; cb++) {
            long word = mappings.get(cb);
            if (!MappingWord.valid(word)) {
                dirty.clear(cb);
                continue;
            }
            boolean wanted = cb < nrBits && cb <= Integer.MAX_VALUE && bits.get((int) cb);
            if (dirty.test(cb, word) != wanted) {
                dirty.set(cb, word, wanted);
            }
        }
        changed = true;
    }

    /** Replaces the hint array with one built from {@code source}, as the kernel's write_hints. */
    void writeHints(PolicyIdentity writer, CacheMetadata.HintSource source) throws IOException {
        if (hints != null) {
            hints.delete();
            hints = null;
        }
        if (writer.hintSize() != 0) {
            DmArray fresh = DmArray.create(tm, HINTS, writer.hintSize());
            fresh.resize(cacheBlocks, new byte[writer.hintSize()]);
            hints = fresh;
            for (long cb = 0; cb < cacheBlocks; cb++) {
                byte[] hint = source.hint(CacheBlock.of(cb));
                if (hint != null) {
                    setHint(cb, hint);
                }
            }
        }
        policy = writer;
        changed = true;
    }

    void setHint(long cblock, byte[] hint) throws IOException {
        if (hint.length != hints.valueSize()) {
            throw new BlockIoException(Errno.EINVAL, "hint of cache block " + cblock + " has " + hint.length
                    + " bytes; the hint size is " + hints.valueSize());
        }
        hints.set(cblock, hint);
    }

    void resizeDiscards(long blockSectors, long nrBlocks) throws IOException {
        discards.resize(nrBlocks, false);
        discardBlockSize = blockSectors;
        changed = true;
    }

    /**
     * The superblock of a commit with {@code flags}: writes back the bitsets' cached words first,
     * so the filler itself does no I/O.
     */
    UnaryOperator<CacheSuperblock> fill(int flags) throws IOException {
        long dirtyRoot = dirty.root();
        long discardRoot = discards.root();
        long mappingRoot = mappings.root();
        long hintRoot = hints == null ? 0 : hints.root();
        PolicyIdentity p = policy;
        MetadataStats s = stats;
        return sb -> sb.toBuilder()
                .flags(flags)
                .version(version)
                .policyName(p.name()).policyHintSize(p.hintSize())
                .policyVersion(new CacheSuperblock.PolicyVersion(p.major(), p.minor(), p.patch()))
                .mappingRoot(mappingRoot).hintRoot(hintRoot).dirtyRoot(dirtyRoot)
                .discardRoot(discardRoot).discardBlockSize(discardBlockSize).discardNrBlocks(discards.nrBits())
                .dataBlockSize((int) dataBlockSize).cacheBlocks((int) cacheBlocks)
                .stats((int) s.readHits(), (int) s.readMisses(), (int) s.writeHits(), (int) s.writeMisses())
                .build();
    }
}
