package com.example.tiercache.random;

import io.tiercache.spi.policy.CachePolicy;
import io.tiercache.spi.policy.Direction;
import io.tiercache.spi.policy.Lookup;
import io.tiercache.spi.policy.PolicyWork;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * Random replacement with probabilistic admission: a miss is promoted with probability
 * 1/{@code promote_one_in} (default 1: every miss); on a full cache a random block is demoted first
 * and the promotion follows when the demotion completes.
 *
 * <p>Kept short for reading, so it uses {@code HashMap}s; a production policy keeps fixed arrays
 * indexed by cblock instead (see tiercache's smq) so that lookups allocate nothing.
 */
final class RandomPolicy implements CachePolicy {
    private static final long FREE = -1;

    private final int size;
    private final long[] oblockAt;
    private final boolean[] busy;
    private final Map<Long, Integer> where = new HashMap<>();
    private final ArrayDeque<Integer> free = new ArrayDeque<>();
    private final ArrayDeque<PolicyWork> queued = new ArrayDeque<>();
    private final Map<Long, PolicyWork> pending = new HashMap<>();
    private final Map<Integer, Long> promoteAfter = new HashMap<>();
    private SplittableRandom random = new SplittableRandom(1);
    private long seed = 1;
    private int promoteOneIn = 1;
    private boolean migrationsAllowed = true;

    RandomPolicy(int size) {
        this.size = size;
        this.oblockAt = new long[size];
        this.busy = new boolean[size];
        Arrays.fill(oblockAt, FREE);
        for (int c = 0; c < size; c++) {
            free.addLast(c);
        }
    }

    @Override
    public synchronized long lookup(long oblock, Direction direction, boolean fastCopy) {
        Integer c = where.get(oblock);
        if (c != null) {
            return Lookup.hit(c);
        }
        if (!migrationsAllowed || pending.containsKey(oblock) || random.nextInt(promoteOneIn) != 0) {
            return pending.containsKey(oblock) ? Lookup.MISS_WORK_QUEUED : Lookup.MISS;
        }
        if (!free.isEmpty()) {
            promote(oblock, free.pollFirst());
            return Lookup.MISS_WORK_QUEUED;
        }
        for (int attempt = 0; attempt < 8 && size > 0; attempt++) {
            int victim = random.nextInt(size);
            if (oblockAt[victim] != FREE && !busy[victim]) {
                busy[victim] = true;
                PolicyWork demote = PolicyWork.demote(oblockAt[victim], victim);
                pending.put(oblockAt[victim], demote);
                pending.put(oblock, demote);
                promoteAfter.put(victim, oblock);
                queued.addLast(demote);
                return Lookup.MISS_WORK_QUEUED;
            }
        }
        return Lookup.MISS;
    }

    private void promote(long oblock, int c) {
        busy[c] = true;
        PolicyWork work = PolicyWork.promote(oblock, c);
        pending.put(oblock, work);
        queued.addLast(work);
    }

    @Override
    public synchronized Optional<PolicyWork> backgroundWork(boolean idle) {
        return Optional.ofNullable(queued.pollFirst());
    }

    @Override
    public synchronized void completeBackgroundWork(PolicyWork work, boolean success) {
        int c = (int) work.cblock().value();
        long oblock = work.oblock().value();
        pending.remove(oblock);
        busy[c] = false;
        if (work.op() == PolicyWork.Op.PROMOTE) {
            if (success) {
                oblockAt[c] = oblock;
                where.put(oblock, c);
            } else {
                free.addLast(c);
            }
            return;
        }
        Long next = promoteAfter.remove(c); // a demotion (this policy never writes back on its own)
        if (next != null) {
            pending.remove(next);
        }
        if (success) {
            where.remove(oblock);
            oblockAt[c] = FREE;
            if (next != null) {
                promote(next, c);
            } else {
                free.addLast(c);
            }
        }
    }

    @Override
    public void setDirty(long cblock) {
        // dirty blocks are written back by their demotion
    }

    @Override
    public void clearDirty(long cblock) {}

    @Override
    public synchronized void loadMapping(long oblock, long cblock, boolean dirty, int hint, boolean hintValid) {
        int c = (int) cblock;
        free.remove(c);
        oblockAt[c] = oblock;
        where.put(oblock, c);
    }

    @Override
    public synchronized boolean invalidateMapping(long cblock) {
        int c = (int) cblock;
        if (oblockAt[c] == FREE) {
            return false;
        }
        where.remove(oblockAt[c]);
        oblockAt[c] = FREE;
        free.addLast(c);
        return true;
    }

    @Override
    public int hint(long cblock) {
        return 0;
    }

    @Override
    public synchronized long residency() {
        return size - free.size();
    }

    @Override
    public void tick(boolean canBlock) {}

    @Override
    public synchronized boolean setConfigValue(String key, String value) {
        long v;
        try {
            v = Long.parseLong(value);
        } catch (NumberFormatException e) {
            return false;
        }
        switch (key.toLowerCase(java.util.Locale.ROOT)) {
            case "promote_one_in" -> {
                if (v < 1 || v > Integer.MAX_VALUE) {
                    return false;
                }
                promoteOneIn = (int) v;
            }
            case "seed" -> {
                seed = v;
                random = new SplittableRandom(v);
            }
            default -> {
                return false;
            }
        }
        return true;
    }

    @Override
    public synchronized List<String> configValues() {
        return List.of("promote_one_in", Integer.toString(promoteOneIn), "seed", Long.toString(seed));
    }

    @Override
    public synchronized void allowMigrations(boolean allow) {
        migrationsAllowed = allow;
    }
}
