package io.tiercache.spi.pdata;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.UnaryOperator;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A crash after any number of writes of a commit must reopen as exactly the old or the new
 * transaction, with an intact space map that the next transaction can use. Two power-loss models:
 * writes simply stop, or everything not yet flushed is lost as well.
 */
class TornCommitTest {
    /** What one transaction does, and how to read back what is on disk. */
    private interface Scenario {
        void setup(TransactionManager tm) throws IOException;

        /** Changes things without committing; returns the superblock filler for the commit. */
        UnaryOperator<CacheSuperblock> change(TransactionManager tm, long seed) throws IOException;

        Object state(TransactionManager tm) throws IOException;

        void verifyCounts(TransactionManager tm) throws IOException;
    }

    @ParameterizedTest(name = "{0}, volatile cache {1}")
    @CsvSource({"cache, false", "cache, true", "shared-btree, false", "shared-btree, true"})
    void everyCrashPointReopensAsOldOrNew(String scenarioName, boolean volatileCache) throws IOException {
        Scenario scenario = "cache".equals(scenarioName) ? new CacheScenario() : new SharedTreeScenario();
        MemoryBlockIo base = MemoryBlockIo.ofMiB(4);
        TransactionManager tm = TransactionManager.format(base, 2, TransactionManager.Options.readWrite());
        scenario.setup(tm);
        Object oldState = scenario.state(reopen(base));

        MemoryBlockIo reference = base.copy();
        TransactionManager ref = reopen(reference);
        int before = reference.writes;
        UnaryOperator<CacheSuperblock> fill = scenario.change(ref, 0);
        assertThat(reference.writes).as("nothing is written before the commit").isEqualTo(before);
        ref.commit(fill);
        int commitWrites = reference.writes - before;
        Object newState = scenario.state(reopen(reference));
        assertThat(newState).isNotEqualTo(oldState);

        for (int n = 0; n <= commitWrites; n++) {
            MemoryBlockIo medium = base.copy();
            CrashingBlockIo crashing = new CrashingBlockIo(medium, n, volatileCache);
            TransactionManager victim = TransactionManager.open(crashing, TransactionManager.Options.readWrite());
            UnaryOperator<CacheSuperblock> victimFill = scenario.change(victim, 0);
            if (n < commitWrites) {
                assertThatThrownBy(() -> victim.commit(victimFill)).isInstanceOf(IOException.class);
            } else {
                victim.commit(victimFill);
            }
            TransactionManager after = reopen(medium);
            Object state = scenario.state(after);
            assertThat(state).as("after a crash at write %d of %d", n, commitWrites)
                    .isEqualTo(n == commitWrites ? newState : oldState);
            scenario.verifyCounts(after);
            // The survivor must take another transaction: nothing it thinks free is in use.
            after.commit(scenario.change(after, n + 1));
            scenario.verifyCounts(reopen(medium));
        }
    }

    private static TransactionManager reopen(MemoryBlockIo io) throws IOException {
        return TransactionManager.open(io, TransactionManager.Options.readWrite());
    }

    /** Mapping, hint and dirty changes across several array blocks, a resize, and two-level trees. */
    private static final class CacheScenario implements Scenario {
        @Override
        public void setup(TransactionManager tm) throws IOException {
            TestCache c = TestCache.format(tm, 2, 140_000);
            for (int cb = 0; cb < 140_000; cb += 997) {
                c.map(cb, cb + 5, cb % 3 == 0, cb);
            }
            c.commit(true);
        }

        @Override
        public UnaryOperator<CacheSuperblock> change(TransactionManager tm, long seed) throws IOException {
            TestCache c = TestCache.open(tm).load();
            Random r = new Random(seed);
            c.resize(120_000 + r.nextInt(40_000));
            for (int k = 0; k < 200; k++) {
                int cb = r.nextInt(c.cacheBlocks);
                if (c.model.containsKey(cb)) {
                    c.unmap(cb);
                } else {
                    c.map(cb, 1_000_000 + cb, r.nextBoolean(), r.nextInt());
                }
            }
            return c.fill(false);
        }

        @Override
        public Object state(TransactionManager tm) throws IOException {
            TestCache c = TestCache.open(tm).load();
            return Map.of("blocks", c.cacheBlocks, "mappings", c.model, "hints", c.hintModel);
        }

        @Override
        public void verifyCounts(TransactionManager tm) throws IOException {
            ReferenceCounter rc = new ReferenceCounter(tm).addCacheMetadata(tm.superblock());
            assertThat(rc.problems()).isEmpty();
            assertThat(rc.compareWithSpaceMap()).isEmpty();
        }
    }

    /** Two trees sharing nodes, so shadowing copies shared nodes and the overflow tree is in play. */
    private static final class SharedTreeScenario implements Scenario {
        @Override
        public void setup(TransactionManager tm) throws IOException {
            BTree t = tree(tm);
            long a = t.empty();
            for (long k = 0; k < 20_000; k++) {
                a = t.insert(a, k * 3, k);
            }
            long root = a;
            tm.commit(sb -> sb.toBuilder().mappingRoot(root).build());
            tm.inc(root);
            tm.inc(root);
            tm.commit(sb -> sb.toBuilder().hintRoot(root).discardRoot(root).build());
        }

        @Override
        public UnaryOperator<CacheSuperblock> change(TransactionManager tm, long seed) throws IOException {
            BTree t = tree(tm);
            long a = tm.superblock().mappingRoot();
            long b = tm.superblock().hintRoot();
            Random r = new Random(seed);
            for (int k = 0; k < 300; k++) {
                long key = r.nextInt(70_000);
                if (r.nextBoolean()) {
                    a = t.insert(a, key, r.nextInt(1000));
                } else {
                    b = t.remove(b, key);
                }
            }
            long ra = a;
            long rb = b;
            return sb -> sb.toBuilder().mappingRoot(ra).hintRoot(rb).build();
        }

        @Override
        public Object state(TransactionManager tm) throws IOException {
            BTree t = tree(tm);
            TreeMap<Long, Long> a = new TreeMap<>();
            TreeMap<Long, Long> b = new TreeMap<>();
            t.walk(tm.superblock().mappingRoot(), a::put);
            t.walk(tm.superblock().hintRoot(), b::put);
            return Map.of("a", a, "b", b);
        }

        @Override
        public void verifyCounts(TransactionManager tm) throws IOException {
            CacheSuperblock sb = tm.superblock();
            ReferenceCounter rc = new ReferenceCounter(tm).addSuperblock().addSpaceMap(sb.spaceMapRoot());
            for (long root : new long[] {sb.mappingRoot(), sb.hintRoot(), sb.discardRoot()}) {
                rc.addBTree(root, 8, "tree", null);
            }
            assertThat(rc.problems()).isEmpty();
            assertThat(rc.compareWithSpaceMap()).isEmpty();
        }

        private static BTree tree(TransactionManager tm) {
            return new BTree(tm, "tree", 8, ValueType.PLAIN);
        }
    }
}
