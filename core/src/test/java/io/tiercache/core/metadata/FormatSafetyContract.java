package io.tiercache.core.metadata;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tiercache.spi.block.BlockIo;
import io.tiercache.spi.block.CacheBlock;
import io.tiercache.spi.block.DiscardBlock;
import io.tiercache.spi.block.OriginBlock;
import io.tiercache.spi.metadata.MetadataFormat;
import io.tiercache.spi.metadata.MetadataStats;
import io.tiercache.spi.metadata.OpenOptions;
import io.tiercache.spi.pdata.CacheSuperblock;
import io.tiercache.spi.pdata.MetadataSpaceMap;
import io.tiercache.spi.pdata.TransactionManager;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Damage and failure: a flipped bit in any block in use, a device that stops writing (fail_io) and
 * the open semantics of spec §7.1 (clean flag, block size, needs_check, read-only mode).
 */
public abstract class FormatSafetyContract {
    @TempDir
    protected Path dir;

    protected abstract MetadataFormat format();

    protected GuardedMetadata open(BlockIo dev, long blockSize) throws IOException {
        return new MetadataFormats(Map.of(Integer.toString(format().version()), format()))
                .open(dev, new OpenOptions(blockSize, true, format().version(), false));
    }

    protected GuardedMetadata openReadOnly(BlockIo dev) throws IOException {
        return new MetadataFormats(Map.of(Integer.toString(format().version()), format()))
                .open(dev, new OpenOptions(0, false, format().version(), true));
    }

    /** A clean image whose every block is read by a read-only open, a load and a dump. */
    private MemoryDevice damageTarget() throws IOException {
        MemoryDevice dev = MemoryDevice.ofMiB(2);
        try (GuardedMetadata md = open(dev, 128)) {
            md.resize(140_000);
            BitSet dirty = new BitSet();
            for (int cb = 0; cb < 140_000; cb += 401) {
                md.insertMapping(CacheBlock.of(cb), OriginBlock.of(cb * 2L));
                dirty.set(cb, cb % 2 == 0);
            }
            md.setDirtyBits(140_000, dirty);
            md.writeHints(FormatToolsContract.SMQ, cb -> ExpectedImage.hint((int) cb.value()));
            md.resizeDiscardBitset(256, 40_000);
            md.setDiscard(DiscardBlock.of(5), true);
            md.commit(true);
        }
        return dev;
    }

    @Test
    void aFlippedBitInAnyUsedBlockIsCaughtAndNamed() throws IOException {
        MemoryDevice intact = damageTarget();
        List<Long> used = new ArrayList<>();
        MetadataSpaceMap sm = TransactionManager.open(intact, TransactionManager.Options.readOnlyAccess()).spaceMap();
        for (long b = 0; b < sm.nrBlocks(); b++) {
            if (sm.count(b) > 0) {
                used.add(b);
            }
        }
        assertThat(used).hasSizeGreaterThan(400);
        assertThat(readEverything(intact.copy())).isEmpty();
        Random r = new Random(7);
        for (long b : used) {
            for (int off : new int[] {0, 9, 24 + r.nextInt(2000), 2048 + r.nextInt(2048)}) {
                MemoryDevice copy = intact.copy();
                copy.bytes()[(int) (b * 4096 + off)] ^= (byte) (1 << r.nextInt(8));
                String named = "metadata block " + b + " (";
                assertThatThrownBy(() -> open(copy, 128).close()).as("open for writing, bit flipped at %d of block %d", off, b)
                        .hasMessageContaining(named);
                assertThat(copy.writes).as("a refused open writes nothing").isZero();
                assertThat(readEverything(copy)).as("reading, bit flipped at %d of block %d", off, b)
                        .anyMatch(e -> e.contains(named));
            }
        }
    }

    /** Opens read-only, loads and dumps everything; the errors, instead of failing. */
    private List<String> readEverything(MemoryDevice dev) {
        List<String> errors = new ArrayList<>();
        try (GuardedMetadata md = openReadOnly(dev)) {
            md.loadMappings(FormatToolsContract.SMQ, (ob, cb, d, h) -> { });
            md.loadDiscards((bs, db, d) -> { });
        } catch (IOException e) {
            errors.add(e.getMessage());
        }
        try {
            MetadataTestKit.dumpXml(format(), dev);
        } catch (IOException e) {
            errors.add(e.getMessage());
        }
        return errors;
    }

    @Test
    void anAbortThatFailsEntersFailIoAndNothingHalfWrittenIsCommitted() throws Exception {
        MemoryDevice medium = MemoryDevice.ofMiB(2);
        FaultyDevice dev = new FaultyDevice(medium);
        GuardedMetadata md = open(dev, 128);
        md.resize(5000);
        for (int cb = 0; cb < 5000; cb += 3) {
            md.insertMapping(CacheBlock.of(cb), OriginBlock.of(cb + 10L));
        }
        md.commit(false);
        String committed = MetadataTestKit.dumpXml(format(), medium.copy());

        for (int cb = 1; cb < 5000; cb += 3) {
            md.insertMapping(CacheBlock.of(cb), OriginBlock.of(cb + 90_000L));
        }
        md.resize(9000);
        dev.failWritesAfter(3);
        assertThatThrownBy(() -> md.commit(true)).hasMessageContaining("injected");
        dev.failReads();
        assertThatThrownBy(md::abort).hasMessageContaining("injected");
        assertThat(md.failIo()).isTrue();

        int before = dev.attempts;
        List<ThrowingCall> calls = List.of(md::summary, md::cleanWhenOpened, md::cacheSize, () -> md.resize(10),
                () -> md.insertMapping(CacheBlock.of(0), OriginBlock.of(1)), () -> md.removeMapping(CacheBlock.of(0)),
                md::changedThisTransaction, () -> md.loadMappings(FormatToolsContract.SMQ, (o, c, d, h) -> { }),
                () -> md.setDirtyBits(1, new BitSet()), () -> md.resizeDiscardBitset(8, 8),
                () -> md.setDiscard(DiscardBlock.of(0), true), () -> md.loadDiscards((b, d, x) -> { }), md::stats,
                () -> md.setStats(MetadataStats.ZERO), () -> md.writeHints(FormatToolsContract.SMQ, cb -> null),
                () -> md.commit(false), md::abort, md::freeMetadataBlocks, md::metadataDeviceBlocks, md::needsCheck,
                md::setNeedsCheck, md::setReadWrite);
        for (ThrowingCall call : calls) {
            assertThatThrownBy(call::run).hasMessageContaining("fail_io");
        }
        md.setReadOnly();
        md.close();
        assertThat(dev.attempts).as("fail_io touches the device no more").isEqualTo(before);

        dev.heal();
        assertThat(MetadataTestKit.dumpXml(format(), medium)).as("the device still holds the last commit").isEqualTo(committed);
        try (GuardedMetadata reopened = open(medium, 128)) {
            assertThat(reopened.cacheSize()).isEqualTo(5000);
            assertThat(reopened.cleanWhenOpened()).isFalse();
        }
    }

    @FunctionalInterface
    interface ThrowingCall {
        void run() throws Exception;
    }

    /**
     * A commit cut short after every possible number of writes leaves exactly the old or the new
     * state on the device, and abort brings the object back to that state.
     */
    @Test
    void aCommitCutShortLeavesTheOldOrTheNewStateAndAbortRecovers() throws Exception {
        MemoryDevice base = MemoryDevice.ofMiB(2);
        try (GuardedMetadata md = open(base, 128)) {
            md.resize(3000);
            for (int cb = 0; cb < 3000; cb += 2) {
                md.insertMapping(CacheBlock.of(cb), OriginBlock.of(cb));
            }
            md.commit(true);
        }
        String oldState = MetadataTestKit.dumpXml(format(), base.copy());
        MemoryDevice reference = base.copy();
        GuardedMetadata ref = changed(reference);
        int writesBefore = reference.writes;
        ref.commit(false);
        int commitWrites = reference.writes - writesBefore;
        ref.close();
        String newState = MetadataTestKit.dumpXml(format(), reference);
        assertThat(newState).isNotEqualTo(oldState);
        for (int n = 0; n < commitWrites; n++) {
            MemoryDevice medium = base.copy();
            FaultyDevice dev = new FaultyDevice(medium);
            GuardedMetadata md = changed(dev);
            dev.failWritesAfter(n);
            assertThatThrownBy(() -> md.commit(false)).as("commit cut at write %d of %d", n, commitWrites)
                    .hasMessageContaining("injected");
            dev.heal();
            md.abort();
            String onDisk = MetadataTestKit.dumpXml(format(), medium.copy());
            assertThat(onDisk).as("commit cut at write %d of %d", n, commitWrites).isIn(oldState, newState);
            assertThat(md.cacheSize()).as("after the abort").isEqualTo(onDisk.equals(oldState) ? 3000 : 2500);
            // The survivor takes the next transaction.
            md.insertMapping(CacheBlock.of(1), OriginBlock.of(123_456));
            md.commit(true);
            md.close();
            assertThat(MetadataTestKit.dumpXml(format(), medium)).contains("origin_block=\"123456\"");
        }
    }

    private GuardedMetadata changed(BlockIo dev) throws IOException {
        GuardedMetadata md = open(dev, 128);
        for (int cb = 1; cb < 3000; cb += 4) {
            md.insertMapping(CacheBlock.of(cb), OriginBlock.of(cb + 70_000L));
        }
        md.resize(2500);
        return md;
    }

    @Test
    void openClearsTheCleanFlagDurablyAndACleanCommitSetsIt() throws IOException {
        MemoryDevice dev = MemoryDevice.ofMiB(1);
        try (GuardedMetadata md = open(dev, 128)) {
            assertThat(md.cleanWhenOpened()).as("a new device has nothing to distrust").isTrue();
            md.resize(64);
            md.commit(true);
            assertThat(CacheSuperblock.decode(dev.block(0)).cleanShutdown()).isTrue();
        }
        dev.writeLog.clear();
        try (GuardedMetadata md = open(dev, 128)) {
            assertThat(dev.writeLog).as("clearing the flag is the open's first and only write").containsExactly(0L);
            assertThat(CacheSuperblock.decode(dev.block(0)).cleanShutdown()).isFalse();
            assertThat(md.cleanWhenOpened()).isTrue();
            md.commit(false);
        }
        try (GuardedMetadata md = open(dev, 128)) {
            assertThat(md.cleanWhenOpened()).isFalse();
            md.commit(true);
            assertThat(md.cleanWhenOpened()).as("decided once, at open").isFalse();
        }
        try (GuardedMetadata md = open(dev, 128)) {
            assertThat(md.cleanWhenOpened()).isTrue();
        }
    }

    @Test
    void aDifferentBlockSizeIsRefused() throws IOException {
        MemoryDevice dev = MemoryDevice.ofMiB(1);
        try (GuardedMetadata md = open(dev, 128)) {
            md.resize(64);
            md.commit(true);
        }
        dev.writeLog.clear();
        assertThatThrownBy(() -> open(dev, 256))
                .hasMessage("changing the data block size (from 128 to 256) is not supported");
        assertThat(dev.writeLog).isEmpty();
    }

    @Test
    void needsCheckIsDurableAndRefusesWriteMode() throws IOException {
        MemoryDevice dev = MemoryDevice.ofMiB(1);
        try (GuardedMetadata md = open(dev, 128)) {
            md.resize(64);
            md.insertMapping(CacheBlock.of(1), OriginBlock.of(2));
            md.commit(true);
            md.insertMapping(CacheBlock.of(2), OriginBlock.of(3));
            md.setNeedsCheck();
            assertThat(CacheSuperblock.decode(dev.block(0)).needsCheck()).as("written at once").isTrue();
            assertThat(md.needsCheck()).isTrue();
            md.setReadOnly();
            assertThatThrownBy(md::setReadWrite).hasMessageContaining("needs_check");
        }
        byte[] before = dev.bytes().clone();
        try (GuardedMetadata md = open(dev, 128)) {
            assertThat(md.needsCheck()).isTrue();
            assertThat(md.readOnly()).isTrue();
            assertThatThrownBy(md::setReadWrite).hasMessageContaining("needs_check");
            int accesses = dev.accesses();
            assertThatThrownBy(() -> md.removeMapping(CacheBlock.of(1))).hasMessageContaining("read-only");
            assertThat(dev.accesses()).isEqualTo(accesses);
            assertThat(md.cacheSize()).isEqualTo(64);
        }
        assertThat(dev.bytes()).isEqualTo(before);
    }

    @Test
    void readOnlyModeRefusesWritesWithoutTouchingTheDevice() throws IOException {
        MemoryDevice dev = MemoryDevice.ofMiB(1);
        try (GuardedMetadata md = open(dev, 128)) {
            md.resize(64);
            md.setReadOnly();
            int accesses = dev.accesses();
            assertThatThrownBy(() -> md.insertMapping(CacheBlock.of(1), OriginBlock.of(2))).hasMessageContaining("read-only");
            assertThatThrownBy(() -> md.commit(false)).hasMessageContaining("read-only");
            assertThatThrownBy(md::abort).hasMessageContaining("read-only");
            assertThat(md.failIo()).isFalse();
            assertThat(dev.accesses()).isEqualTo(accesses);
            md.setReadWrite();
            md.insertMapping(CacheBlock.of(1), OriginBlock.of(2));
            md.commit(false);
        }
        try (GuardedMetadata md = openReadOnly(dev)) {
            assertThat(md.readOnly()).isTrue();
            assertThatThrownBy(md::setReadWrite).hasMessageContaining("read-only");
        }
    }

    @Test
    void anUnformattedDeviceIsFormattedOnlyWhenAllowed() throws IOException {
        MemoryDevice dev = MemoryDevice.ofMiB(1);
        assertThatThrownBy(() -> openReadOnly(dev)).hasMessageContaining("not formatted");
        assertThat(format().recognises(dev)).isFalse();
        open(dev, 128).close();
        assertThat(format().recognises(dev)).isTrue();
        assertThat(CacheSuperblock.decode(dev.block(0)).version()).isEqualTo(format().version());
    }
}
