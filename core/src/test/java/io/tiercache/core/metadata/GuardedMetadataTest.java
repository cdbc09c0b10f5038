package io.tiercache.core.metadata;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tiercache.spi.block.BlockIoException;
import io.tiercache.spi.block.CacheBlock;
import io.tiercache.spi.block.Errno;
import io.tiercache.spi.block.OriginBlock;
import io.tiercache.spi.metadata.PolicyIdentity;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** The fail_io rule and read-only mode, enforced by the host whatever the format does. */
class GuardedMetadataTest {
    private static final PolicyIdentity SMQ = new PolicyIdentity("smq", 2, 0, 0, 4);
    private final StubMetadata stub = new StubMetadata();

    @Test
    void aFailedWriteMustBeAbortedBeforeAnythingElse() throws Exception {
        GuardedMetadata md = GuardedMetadata.guard(stub, false);
        stub.failWrites = true;
        assertThatThrownBy(() -> md.insertMapping(CacheBlock.of(1), OriginBlock.of(2))).hasMessageContaining("stub insert");
        stub.failWrites = false;
        stub.calls.clear();
        assertThatThrownBy(() -> md.commit(false)).hasMessageContaining("abort the transaction first");
        assertThatThrownBy(md::cacheSize).hasMessageContaining("abort the transaction first");
        assertThat(stub.calls).as("nothing half-written reaches a commit").isEmpty();
        md.abort();
        md.commit(false);
        assertThat(stub.calls).containsExactly("abort", "commit");
    }

    @Test
    void anAbortThatFailsEntersFailIoAndNothingReachesTheFormatAgain() throws Exception {
        GuardedMetadata md = GuardedMetadata.guard(stub, false);
        stub.failWrites = true;
        assertThatThrownBy(() -> md.commit(false)).isInstanceOf(BlockIoException.class);
        stub.failAbort = true;
        assertThatThrownBy(md::abort).hasMessageContaining("stub abort failed");
        assertThat(md.failIo()).isTrue();
        stub.calls.clear();
        List<FormatSafetyContract.ThrowingCall> calls = List.of(md::summary, md::cleanWhenOpened, md::cacheSize,
                md::changedThisTransaction, md::stats, md::needsCheck, md::freeMetadataBlocks, md::abort,
                () -> md.resize(3), () -> md.setDirtyBits(1, new BitSet()), md::setNeedsCheck, md::setReadWrite,
                () -> md.loadMappings(SMQ, (o, c, d, h) -> { }));
        for (var call : calls) {
            assertThatThrownBy(call::run).isInstanceOfSatisfying(BlockIoException.class, e -> {
                assertThat(e.errno()).isEqualTo(Errno.EINVAL);
                assertThat(e).hasMessageContaining("fail_io");
            });
        }
        md.setReadOnly();
        assertThat(stub.calls).isEmpty();
        md.close();
        assertThat(stub.calls).containsExactly("close");
        assertThatThrownBy(md::cacheSize).hasMessageContaining("closed");
    }

    @Test
    void readOnlyModeRefusesWritesBeforeTheFormatSeesThem() throws Exception {
        GuardedMetadata md = GuardedMetadata.guard(stub, false);
        md.setReadOnly();
        stub.calls.clear();
        assertThatThrownBy(() -> md.removeMapping(CacheBlock.of(0))).isInstanceOfSatisfying(BlockIoException.class,
                e -> assertThat(e.errno()).isEqualTo(Errno.EINVAL));
        assertThatThrownBy(md::abort).hasMessageContaining("read-only");
        assertThat(md.failIo()).as("a refused abort is no failed abort").isFalse();
        assertThat(md.cacheSize()).isEqualTo(10);
        md.loadMappings(SMQ, (o, c, d, h) -> { });
        assertThat(stub.calls).containsExactly("cacheSize", "loadMappings");
        md.setReadWrite();
        md.removeMapping(CacheBlock.of(0));
    }

    @Test
    void needsCheckAtOpenMeansReadOnly() throws Exception {
        stub.needsCheck = true;
        GuardedMetadata md = GuardedMetadata.guard(stub, false);
        assertThat(md.readOnly()).isTrue();
        assertThatThrownBy(md::setReadWrite).hasMessageContaining("needs_check");
        assertThat(md.readOnly()).isTrue();
        assertThatThrownBy(() -> md.commit(false)).hasMessageContaining("read-only");
    }

    @Test
    void aVisitorsRefusalDoesNotSpoilTheTransaction() throws Exception {
        GuardedMetadata md = GuardedMetadata.guard(stub, false);
        assertThatThrownBy(() -> md.loadMappings(SMQ, (o, c, d, h) -> {
            throw new BlockIoException(Errno.EBUSY, "cannot enter passthrough mode unless all blocks are clean");
        })).isInstanceOfSatisfying(BlockIoException.class, e -> assertThat(e.errno()).isEqualTo(Errno.EBUSY));
        md.commit(false);
        assertThat(stub.calls).endsWith("commit");
    }

    @Test
    void callsAreSerialised() throws Exception {
        GuardedMetadata md = GuardedMetadata.guard(stub, false);
        stub.calls.clear();
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicBoolean overlapped = new AtomicBoolean();
        Thread loader = Thread.ofVirtual().start(() -> {
            try {
                md.loadMappings(SMQ, (o, c, d, h) -> {
                    inside.countDown();
                    try {
                        release.await();
                    } catch (InterruptedException e) {
                        throw new java.io.InterruptedIOException();
                    }
                });
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
        inside.await();
        Thread other = Thread.ofVirtual().start(() -> {
            try {
                md.insertMapping(CacheBlock.of(1), OriginBlock.of(1));
                overlapped.set(release.getCount() > 0);
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
        Thread.sleep(100);
        assertThat(stub.calls).doesNotContain("insert");
        release.countDown();
        loader.join();
        other.join();
        assertThat(overlapped).isFalse();
        assertThat(stub.calls).containsExactly("loadMappings", "insert");
    }
}
