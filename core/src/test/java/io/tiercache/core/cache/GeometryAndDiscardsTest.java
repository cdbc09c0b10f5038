package io.tiercache.core.cache;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Block arithmetic and the discard bitset (target-semantics §1.1, §4.5). */
class GeometryAndDiscardsTest {
    @Test
    void fixtureFGeometry() {
        CacheGeometry g = CacheGeometry.of(128, 262144, 131072);
        assertThat(g.cacheBlocks()).isEqualTo(1024);
        assertThat(g.originBlocks()).isEqualTo(2048);
        assertThat(g.discardBlockSectors()).isEqualTo(128);
        assertThat(g.discardBlocks()).isEqualTo(2048);
    }

    @Test
    void blockSizesNeedNotBePowersOfTwo() {
        CacheGeometry g = CacheGeometry.of(192, 262244, 131072);
        assertThat(g.originBlocks()).as("only whole blocks").isEqualTo(262244 / 192);
        assertThat(g.oblockOf(192 * 512 * 5 + 7)).isEqualTo(5);
        assertThat(g.cacheBlocks()).isEqualTo(131072 / 192);
    }

    @Test
    void discardBlocksDoubleUntilAtMost16384Fit() {
        CacheGeometry g = CacheGeometry.of(64, 1L << 31, 1L << 20);
        assertThat(g.discardBlockSectors()).isEqualTo(1L << 17);
        assertThat(g.discardBlocks()).isEqualTo(16384);
        assertThat(g.dblockOf(2048)).isEqualTo(1);
        // The kernel compares the rounded-down count: a partial tail block does not force a doubling.
        CacheGeometry odd = CacheGeometry.of(128, 16384L * 128 + 1, 1024);
        assertThat(odd.discardBlockSectors()).isEqualTo(128);
        assertThat(odd.discardBlocks()).isEqualTo(16385);
        assertThat(CacheGeometry.of(128, 16385L * 128, 1024).discardBlockSectors()).isEqualTo(256);
    }

    @Test
    void aDiscardMarksOnlyWhollyCoveredBlocks() {
        DiscardSet d = new DiscardSet(CacheGeometry.of(128, 128 * 100, 1024));
        d.discard(100, 128 * 3);
        assertThat(d.isDiscarded(0)).isFalse();
        assertThat(d.isDiscarded(1)).isTrue();
        assertThat(d.isDiscarded(2)).isTrue();
        assertThat(d.isDiscarded(3)).isFalse();
        d.discard(128 * 10 + 1, 128 * 11 + 100);
        assertThat(d.isDiscarded(10)).isFalse();
        d.clearOblock(1);
        assertThat(d.isDiscardedOblock(1)).isFalse();
        assertThat(d.isDiscardedOblock(2)).isTrue();
    }

    @Test
    void storedDiscardsConvertToTheCurrentDiscardBlockSize() {
        DiscardSet d = new DiscardSet(CacheGeometry.of(128, 256 * 40, 1024));
        assertThat(d.size()).isEqualTo(80);
        DiscardSet bigger = new DiscardSet(CacheGeometry.of(64, 1L << 31, 1 << 20));
        DiscardSet.Loader l = bigger.loader();
        // stored at 128 sectors: blocks 1024..3071 discarded = sectors [2^17, 3 × 2^17) = current dblocks 1 and 2
        for (long b = 0; b < 4096; b++) {
            l.accept(128, b, b >= 1024 && b < 3072);
        }
        l.finish();
        assertThat(bigger.isDiscarded(0)).isFalse();
        assertThat(bigger.isDiscarded(1)).isTrue();
        assertThat(bigger.isDiscarded(2)).isTrue();
        assertThat(bigger.isDiscarded(3)).isFalse();
        DiscardSet.Loader partial = d.loader();
        partial.accept(256, 3, true); // sectors [768, 1024): current blocks 6 and 7
        partial.accept(256, 4, false);
        partial.accept(256, 39, true);
        partial.accept(256, 40, true); // beyond a shrunk origin: ignored
        partial.finish();
        assertThat(d.isDiscarded(6)).isTrue();
        assertThat(d.isDiscarded(7)).isTrue();
        assertThat(d.isDiscarded(8)).isFalse();
        assertThat(d.isDiscarded(79)).isTrue();
    }

    @Test
    void atomicBitsetScans() {
        AtomicBitset b = new AtomicBitset(200);
        assertThat(b.set(3)).isTrue();
        assertThat(b.set(3)).isFalse();
        b.set(130);
        assertThat(b.nextSetBit(0, 200)).isEqualTo(3);
        assertThat(b.nextSetBit(4, 200)).isEqualTo(130);
        assertThat(b.nextSetBit(4, 130)).isEqualTo(-1);
        assertThat(b.clear(3)).isTrue();
        assertThat(b.clear(3)).isFalse();
        assertThat(b.snapshot(200).stream().boxed().toList()).containsExactly(130);
    }
}
