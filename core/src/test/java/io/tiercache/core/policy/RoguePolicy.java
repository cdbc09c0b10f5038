package io.tiercache.core.policy;

import io.tiercache.spi.policy.CachePolicy;
import io.tiercache.spi.policy.Direction;
import io.tiercache.spi.policy.Lookup;
import io.tiercache.spi.policy.PolicyWork;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Optional;

/** A policy a test scripts answer by answer, to make it break the contract on purpose. */
final class RoguePolicy implements CachePolicy {
    final ArrayDeque<Long> lookups = new ArrayDeque<>();
    final ArrayDeque<PolicyWork> work = new ArrayDeque<>();
    long residency;
    boolean invalidateAnswer = true;
    RuntimeException throwOnTick;
    List<String> config = List.of();
    String acceptedKey;

    @Override
    public long lookup(long oblock, Direction direction, boolean fastCopy) {
        return lookups.isEmpty() ? Lookup.MISS : lookups.poll();
    }

    @Override
    public long lookupWithWork(long oblock, Direction direction, boolean fastCopy) {
        return lookup(oblock, direction, fastCopy);
    }

    @Override
    public Optional<PolicyWork> backgroundWork(boolean idle) {
        return Optional.ofNullable(work.poll());
    }

    @Override
    public void completeBackgroundWork(PolicyWork w, boolean success) {}

    @Override
    public void setDirty(long cblock) {}

    @Override
    public void clearDirty(long cblock) {}

    @Override
    public void loadMapping(long oblock, long cblock, boolean dirty, int hint, boolean hintValid) {}

    @Override
    public boolean invalidateMapping(long cblock) {
        return invalidateAnswer;
    }

    @Override
    public int hint(long cblock) {
        return 0;
    }

    @Override
    public long residency() {
        return residency;
    }

    @Override
    public void tick(boolean canBlock) {
        if (throwOnTick != null) {
            throw throwOnTick;
        }
    }

    @Override
    public boolean setConfigValue(String key, String value) {
        return key.equalsIgnoreCase(acceptedKey);
    }

    @Override
    public List<String> configValues() {
        return config;
    }

    @Override
    public void allowMigrations(boolean allow) {}
}
