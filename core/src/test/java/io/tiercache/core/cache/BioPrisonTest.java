package io.tiercache.core.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The lock rules of target-semantics §4.2. */
class BioPrisonTest {
    private final AtomicInteger parks = new AtomicInteger();
    private final BioPrison prison = new BioPrison(parks::incrementAndGet);

    private CompletableFuture<Void> async(Runnable r) {
        return CompletableFuture.runAsync(r);
    }

    private static void settle() throws InterruptedException {
        Thread.sleep(100);
    }

    @Test
    void sharedLocksDoNotConflict() {
        prison.lockShared(1, BioPrison.WRITE_LEVEL);
        prison.lockShared(1, BioPrison.READ_WRITE_LEVEL);
        prison.unlockShared(1);
        prison.unlockShared(1);
        assertThat(parks).hasValue(0);
    }

    @Test
    void exclusiveLevelZeroParksWritersOnly() throws Exception {
        assertThat(prison.tryLockExclusive(7, BioPrison.WRITE_LEVEL)).isTrue();
        prison.lockShared(7, BioPrison.READ_WRITE_LEVEL); // a read goes on
        prison.unlockShared(7);
        CompletableFuture<Void> writer = async(() -> {
            prison.lockShared(7, BioPrison.WRITE_LEVEL);
            prison.unlockShared(7);
        });
        settle();
        assertThat(writer).isNotDone();
        assertThat(parks).as("parking asks for a commit").hasValue(1);
        prison.unlockExclusive(7);
        writer.get(5, TimeUnit.SECONDS);
    }

    @Test
    void raisingToLevelOneParksReadersToo() throws Exception {
        assertThat(prison.tryLockExclusive(7, BioPrison.WRITE_LEVEL)).isTrue();
        prison.raiseExclusive(7, BioPrison.READ_WRITE_LEVEL);
        CompletableFuture<Void> reader = async(() -> {
            prison.lockShared(7, BioPrison.READ_WRITE_LEVEL);
            prison.unlockShared(7);
        });
        settle();
        assertThat(reader).isNotDone();
        prison.unlockExclusive(7);
        reader.get(5, TimeUnit.SECONDS);
    }

    @Test
    void aSecondExclusiveLockIsRefused() {
        assertThat(prison.tryLockExclusive(3, BioPrison.WRITE_LEVEL)).isTrue();
        assertThat(prison.tryLockExclusive(3, BioPrison.READ_WRITE_LEVEL)).isFalse();
        assertThat(prison.tryLockExclusive(4, BioPrison.READ_WRITE_LEVEL)).as("another block").isTrue();
        prison.unlockExclusive(3);
        assertThat(prison.tryLockExclusive(3, BioPrison.READ_WRITE_LEVEL)).isTrue();
    }

    @Test
    void quiesceWaitsForTheSharedHoldersThatGotInFirst() throws Exception {
        prison.lockShared(9, BioPrison.READ_WRITE_LEVEL);
        prison.lockShared(9, BioPrison.WRITE_LEVEL);
        assertThat(prison.tryLockExclusive(9, BioPrison.WRITE_LEVEL)).isTrue();
        CompletableFuture<Void> quiesced = async(() -> prison.quiesce(9));
        settle();
        assertThat(quiesced).isNotDone();
        prison.unlockShared(9);
        settle();
        assertThat(quiesced).isNotDone();
        prison.unlockShared(9);
        quiesced.get(5, TimeUnit.SECONDS);
        prison.unlockExclusive(9);
    }

    @Test
    void awaitNoExclusiveReturnsWhenTheHolderLetsGo() throws Exception {
        prison.awaitNoExclusive(5); // nothing held: at once
        assertThat(prison.tryLockExclusive(5, BioPrison.READ_WRITE_LEVEL)).isTrue();
        CompletableFuture<Void> waiter = async(() -> prison.awaitNoExclusive(5));
        settle();
        assertThat(waiter).isNotDone();
        prison.unlockExclusive(5);
        waiter.get(5, TimeUnit.SECONDS);
    }

    @Test
    void unlockingWhatIsNotHeldIsABug() {
        assertThatThrownBy(() -> prison.unlockShared(11)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> prison.unlockExclusive(11)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void manyBlocksManyThreads() throws Exception {
        CompletableFuture<?>[] all = new CompletableFuture<?>[8];
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger worst = new AtomicInteger();
        for (int t = 0; t < all.length; t++) {
            all[t] = async(() -> {
                for (int i = 0; i < 2000; i++) {
                    long b = i % 3;
                    if (prison.tryLockExclusive(b, BioPrison.READ_WRITE_LEVEL)) {
                        prison.quiesce(b);
                        if (b == 0) {
                            worst.accumulateAndGet(inside.incrementAndGet(), Math::max);
                            inside.decrementAndGet();
                        }
                        prison.unlockExclusive(b);
                    } else {
                        prison.lockShared(b, BioPrison.WRITE_LEVEL);
                        prison.unlockShared(b);
                    }
                }
            });
        }
        CompletableFuture.allOf(all).get(30, TimeUnit.SECONDS);
        assertThat(worst.get()).as("one exclusive holder at a time").isEqualTo(1);
    }
}
