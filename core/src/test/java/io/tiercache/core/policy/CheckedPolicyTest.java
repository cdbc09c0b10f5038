package io.tiercache.core.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tiercache.spi.policy.Direction;
import io.tiercache.spi.policy.Lookup;
import io.tiercache.spi.policy.PolicyGeometry;
import io.tiercache.spi.policy.PolicyWork;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The adapter catches a policy that would corrupt the cache, and then refuses it for good. */
class CheckedPolicyTest {
    private final RoguePolicy rogue = new RoguePolicy();
    private final CheckedPolicy p = new CheckedPolicy("rogue", rogue, PolicyGeometry.ofBlocks(4, 100, 128), 0);

    /** Maps {@code oblock} at {@code cblock} through an honest promotion. */
    private void map(long oblock, long cblock) {
        rogue.work.add(PolicyWork.promote(oblock, cblock));
        PolicyWork w = p.backgroundWork(false).orElseThrow();
        p.completeBackgroundWork(w, true);
        p.clearDirty(cblock);
    }

    private void assertOutOfService(String message) {
        assertThat(p.violation()).get().extracting(Throwable::getMessage).asString().contains(message);
        assertThatThrownBy(() -> p.lookup(1, Direction.READ, false)).isInstanceOf(PolicyViolationException.class)
                .hasMessageContaining(message);
    }

    @Test
    void anHonestSequencePasses() {
        map(10, 0);
        rogue.lookups.add(Lookup.hit(0));
        assertThat(p.lookup(10, Direction.READ, false)).isEqualTo(Lookup.hit(0));
        p.setDirty(0);
        assertThat(p.isDirty(0)).isTrue();
        rogue.work.add(PolicyWork.writeback(10, 0));
        PolicyWork wb = p.backgroundWork(false).orElseThrow();
        p.clearDirty(0);
        p.completeBackgroundWork(wb, true);
        rogue.residency = 1;
        assertThat(p.residency()).isEqualTo(1);
        assertThat(p.violation()).isEmpty();
    }

    @Test
    void promotingIntoAUsedCblockIsAViolation() {
        map(10, 0);
        rogue.work.add(PolicyWork.promote(11, 0));
        assertThatThrownBy(() -> p.backgroundWork(false)).isInstanceOf(PolicyViolationException.class);
        assertOutOfService("promotes into cblock 0, which is mapped for 10");
    }

    @Test
    void promotingABlockAlreadyMappedElsewhereIsAViolation() {
        map(10, 0);
        rogue.work.add(PolicyWork.promote(10, 1));
        assertThatThrownBy(() -> p.backgroundWork(false)).isInstanceOf(PolicyViolationException.class);
        assertOutOfService("promotes 10, which is already mapped");
    }

    @Test
    void aHitOnAnotherBlocksCblockIsAViolation() {
        map(10, 0);
        rogue.lookups.add(Lookup.hit(0));
        assertThatThrownBy(() -> p.lookup(11, Direction.READ, false)).isInstanceOf(PolicyViolationException.class);
        assertOutOfService("reported a hit on 11 at cblock 0");
    }

    @Test
    void forgettingAMappingIsAViolation() {
        map(10, 0);
        rogue.lookups.add(Lookup.MISS);
        assertThatThrownBy(() -> p.lookup(10, Direction.READ, false)).isInstanceOf(PolicyViolationException.class);
        assertOutOfService("reported a miss on 10");
    }

    @Test
    void workFromAPlainLookupOrOutOfRangeIsAViolation() {
        rogue.lookups.add(Lookup.promoteNow(1));
        assertThatThrownBy(() -> p.lookup(3, Direction.WRITE, true)).isInstanceOf(PolicyViolationException.class);
        CheckedPolicy q = new CheckedPolicy("rogue", rogue, PolicyGeometry.ofBlocks(4, 100, 128), 0);
        rogue.lookups.add(Lookup.hit(9));
        assertThatThrownBy(() -> q.lookup(3, Direction.READ, false)).hasMessageContaining("outside 0..3");
    }

    @Test
    void migrationsAfterTheyWereDisallowedAreAViolation() {
        p.allowMigrations(false);
        rogue.lookups.add(Lookup.promoteNow(2));
        assertThatThrownBy(() -> p.lookupWithWork(7, Direction.WRITE, true)).isInstanceOf(PolicyViolationException.class);
        assertOutOfService("migrations are not allowed");
    }

    @Test
    void writingBackACleanBlockIsAViolation() {
        map(10, 0);
        rogue.work.add(PolicyWork.writeback(10, 0));
        assertThatThrownBy(() -> p.backgroundWork(false)).hasMessageContaining("writes back a clean block");
    }

    @Test
    void residencyBeyondTheCacheIsAViolation() {
        rogue.residency = 5;
        assertThatThrownBy(p::residency).hasMessageContaining("residency of 5");
    }

    @Test
    void anExceptionFromThePolicyTakesItOutOfService() {
        rogue.throwOnTick = new ArrayIndexOutOfBoundsException("oops");
        assertThatThrownBy(() -> p.tick(true)).isInstanceOf(PolicyViolationException.class)
                .hasCauseInstanceOf(ArrayIndexOutOfBoundsException.class);
        assertOutOfService("failed in tick");
    }

    @Test
    void invalidationMustAgreeWithTheMappings() {
        rogue.invalidateAnswer = true;
        assertThatThrownBy(() -> p.invalidateMapping(2)).hasMessageContaining("invalidated cblock 2, which is free");
    }

    @Test
    void configWordsMustBeWords() {
        rogue.config = List.of("a b");
        assertThatThrownBy(p::configValues).isInstanceOf(PolicyViolationException.class);
    }

    @Test
    void theCallersMistakesDoNotCondemnThePolicy() {
        assertThatThrownBy(() -> p.completeBackgroundWork(PolicyWork.demote(1, 1), true))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> p.setDirty(3)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> p.setDirty(4)).isInstanceOf(IllegalArgumentException.class);
        map(10, 0);
        assertThatThrownBy(() -> p.loadMapping(10, 1, false, 0, false)).isInstanceOf(IllegalStateException.class);
        rogue.work.add(PolicyWork.demote(10, 0));
        p.backgroundWork(false);
        assertThatThrownBy(() -> p.invalidateMapping(0)).hasMessageContaining("being demoted");
        assertThat(p.violation()).isEmpty();
    }
}
