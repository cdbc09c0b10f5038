package io.tiercache.core.cache;

/**
 * The discard bitset (target-semantics §4.5): which discard blocks of the origin hold nothing worth
 * keeping, so that promotions, writebacks and overwrites of them need no copy. A discard marks only
 * the discard blocks it covers completely; any write clears the state of the block it touches. No
 * lock: like the kernel, this assumes nobody discards a region while writing to it.
 */
final class DiscardSet {
    private final CacheGeometry geometry;
    private final AtomicBitset bits;

    DiscardSet(CacheGeometry geometry) {
        this.geometry = geometry;
        this.bits = new AtomicBitset(geometry.discardBlocks());
    }

    boolean isDiscardedOblock(long oblock) {
        return bits.get(geometry.dblockOf(oblock));
    }

    /** Clears the state of the discard block holding {@code oblock}; writes nothing if already clear. */
    void clearOblock(long oblock) {
        bits.clear(geometry.dblockOf(oblock));
    }

    boolean isDiscarded(long dblock) {
        return bits.get(dblock);
    }

    /** Marks the discard blocks that {@code [startSector, endSector)} covers completely. */
    void discard(long startSector, long endSector) {
        long dbs = geometry.discardBlockSectors();
        long b = CacheGeometry.divUp(startSector, dbs);
        long e = endSector - startSector < dbs ? b : endSector / dbs;
        for (long d = b; d < Math.min(e, bits.size()); d++) {
            bits.set(d);
        }
    }

    void clearAll() {
        bits.clearAll();
    }

    long size() {
        return bits.size();
    }

    /**
     * Converts discard ranges stored in another discard block size into this geometry while they are
     * loaded (the kernel's {@code discard_load_info}): a current block is marked only if stored
     * discarded ranges cover it completely; the origin may have shrunk since.
     */
    Loader loader() {
        return new Loader();
    }

    final class Loader {
        private long storedBlockSectors;
        private long begin;
        private long end;

        void accept(long blockSectors, long dblock, boolean discarded) {
            storedBlockSectors = blockSectors;
            if (!discarded) {
                flush();
                begin = end = 0;
            } else if (dblock == end && end > begin) {
                end++;
            } else {
                flush();
                begin = dblock;
                end = dblock + 1;
            }
        }

        void finish() {
            flush();
        }

        private void flush() {
            if (begin == end) {
                return;
            }
            long dbs = geometry.discardBlockSectors();
            long b = CacheGeometry.divUp(begin * storedBlockSectors, dbs);
            long e = Math.min(end * storedBlockSectors / dbs, bits.size());
            for (long d = b; d < e; d++) {
                bits.set(d);
            }
        }
    }
}
