package io.tiercache.core.metadata;

import io.tiercache.spi.block.BlockIoException;
import io.tiercache.spi.block.CacheBlock;
import io.tiercache.spi.block.DiscardBlock;
import io.tiercache.spi.block.Errno;
import io.tiercache.spi.block.OriginBlock;
import io.tiercache.spi.metadata.CacheMetadata;
import io.tiercache.spi.metadata.MetadataStats;
import io.tiercache.spi.metadata.MetadataSummary;
import io.tiercache.spi.metadata.PolicyIdentity;
import java.io.IOException;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/** A metadata object that records its calls and fails on demand: for the guard's tests. */
final class StubMetadata implements CacheMetadata {
    final List<String> calls = new ArrayList<>();
    boolean failWrites;
    boolean failAbort;
    boolean needsCheck;
    boolean closed;

    private void call(String name, boolean write) throws IOException {
        calls.add(name);
        if (write && failWrites) {
            throw new BlockIoException(Errno.EIO, "stub " + name + " failed");
        }
    }

    @Override
    public int version() {
        return 9;
    }

    @Override
    public MetadataSummary summary() throws IOException {
        call("summary", false);
        return new MetadataSummary(9, 128, 10, new PolicyIdentity("smq", 2, 0, 0, 4), false, needsCheck, 0, 0);
    }

    @Override
    public boolean cleanWhenOpened() throws IOException {
        call("cleanWhenOpened", false);
        return true;
    }

    @Override
    public long cacheSize() throws IOException {
        call("cacheSize", false);
        return 10;
    }

    @Override
    public void resize(long newCacheBlocks) throws IOException {
        call("resize", true);
    }

    @Override
    public void insertMapping(CacheBlock cblock, OriginBlock oblock) throws IOException {
        call("insert", true);
    }

    @Override
    public void removeMapping(CacheBlock cblock) throws IOException {
        call("remove", true);
    }

    @Override
    public boolean changedThisTransaction() throws IOException {
        call("changed", false);
        return false;
    }

    @Override
    public void loadMappings(PolicyIdentity policy, MappingVisitor visitor) throws IOException {
        call("loadMappings", false);
        visitor.mapping(OriginBlock.of(5), CacheBlock.of(1), false, null);
    }

    @Override
    public void setDirtyBits(long nrBits, BitSet dirty) throws IOException {
        call("setDirtyBits", true);
    }

    @Override
    public void resizeDiscardBitset(long blockSectors, long nrBlocks) throws IOException {
        call("resizeDiscardBitset", true);
    }

    @Override
    public void setDiscard(DiscardBlock dblock, boolean discarded) throws IOException {
        call("setDiscard", true);
    }

    @Override
    public void loadDiscards(DiscardVisitor visitor) throws IOException {
        call("loadDiscards", false);
    }

    @Override
    public MetadataStats stats() throws IOException {
        call("stats", false);
        return MetadataStats.ZERO;
    }

    @Override
    public void setStats(MetadataStats stats) throws IOException {
        call("setStats", true);
    }

    @Override
    public void writeHints(PolicyIdentity policy, HintSource hints) throws IOException {
        call("writeHints", true);
    }

    @Override
    public void commit(boolean cleanShutdown) throws IOException {
        call("commit", true);
    }

    @Override
    public void abort() throws IOException {
        calls.add("abort");
        if (failAbort) {
            throw new BlockIoException(Errno.EIO, "stub abort failed");
        }
    }

    @Override
    public long freeMetadataBlocks() throws IOException {
        call("freeMetadataBlocks", false);
        return 1;
    }

    @Override
    public long metadataDeviceBlocks() throws IOException {
        call("metadataDeviceBlocks", false);
        return 2;
    }

    @Override
    public boolean needsCheck() throws IOException {
        call("needsCheck", false);
        return needsCheck;
    }

    @Override
    public void setNeedsCheck() throws IOException {
        call("setNeedsCheck", true);
        needsCheck = true;
    }

    @Override
    public void setReadOnly() {
        calls.add("setReadOnly");
    }

    @Override
    public void setReadWrite() throws IOException {
        call("setReadWrite", false);
        if (needsCheck) {
            throw new BlockIoException(Errno.EINVAL, "needs_check");
        }
    }

    @Override
    public void close() {
        calls.add("close");
        closed = true;
    }
}
