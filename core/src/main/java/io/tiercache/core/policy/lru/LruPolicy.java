package io.tiercache.core.policy.lru;

import io.tiercache.core.policy.BlockIndex;
import io.tiercache.core.policy.IntList;
import io.tiercache.spi.policy.CachePolicy;
import io.tiercache.spi.policy.Direction;
import io.tiercache.spi.policy.Lookup;
import io.tiercache.spi.policy.PolicyWork;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Plain LRU in the policy contract. A miss with a free cblock queues its promotion; a miss on a full
 * cache queues the demotion of the least recently used block and promotes into the freed cblock
 * when that demotion completes, so that, with migrations finished before the next request, it is
 * exactly the textbook LRU that promotes every miss. It never writes back on its own: a dirty block
 * is written back when it is demoted.
 *
 * <p>Per cache block: two list links, the index (12 bytes and buckets) and a state byte.
 */
final class LruPolicy implements CachePolicy {
    private static final byte FREE = 0;
    private static final byte RESERVED = 1;
    private static final byte MAPPED = 2;
    private static final byte PENDING = 3;

    private final int size;
    private final int[] prev;
    private final int[] next;
    private final byte[] state;
    private final BlockIndex mapped;
    private final IntList free;
    private final IntList recency;
    private final ArrayDeque<PolicyWork> queued = new ArrayDeque<>();
    /** Origin blocks with work pending, so a second miss does not queue twice. */
    private final Map<Long, PolicyWork> pending = new HashMap<>();
    /** cblock being demoted → the origin block to promote into it afterwards. */
    private final Map<Integer, Long> promoteAfterDemotion = new HashMap<>();
    private int allocated;
    private boolean migrationsAllowed = true;

    LruPolicy(int size) {
        this.size = size;
        this.prev = new int[size];
        this.next = new int[size];
        this.state = new byte[size];
        this.mapped = new BlockIndex(size);
        this.free = new IntList(prev, next);
        this.recency = new IntList(prev, next);
        for (int c = 0; c < size; c++) {
            free.addTail(c);
        }
    }

    @Override
    public synchronized long lookup(long oblock, Direction direction, boolean fastCopy) {
        int c = mapped.get(oblock);
        if (c >= 0) {
            if (state[c] == MAPPED) {
                recency.remove(c);
                recency.addTail(c);
            }
            return Lookup.hit(c);
        }
        if (!migrationsAllowed) {
            return Lookup.MISS;
        }
        if (pending.containsKey(oblock)) {
            return Lookup.MISS_WORK_QUEUED;
        }
        if (!free.isEmpty()) {
            queuePromotion(oblock, free.pollHead());
            return Lookup.MISS_WORK_QUEUED;
        }
        int victim = recency.pollHead();
        if (victim == IntList.NONE) {
            return Lookup.MISS; // every block has work in flight
        }
        state[victim] = PENDING;
        PolicyWork demote = PolicyWork.demote(mapped.keyAt(victim), victim);
        pending.put(mapped.keyAt(victim), demote);
        queued.addLast(demote);
        promoteAfterDemotion.put(victim, oblock);
        pending.put(oblock, demote); // the promotion follows the demotion
        return Lookup.MISS_WORK_QUEUED;
    }

    private void queuePromotion(long oblock, int c) {
        state[c] = RESERVED;
        allocated++;
        PolicyWork promote = PolicyWork.promote(oblock, c);
        pending.put(oblock, promote);
        queued.addLast(promote);
    }

    @Override
    public synchronized Optional<PolicyWork> backgroundWork(boolean idle) {
        return Optional.ofNullable(queued.pollFirst());
    }

    @Override
    public synchronized void completeBackgroundWork(PolicyWork work, boolean success) {
        int c = (int) work.cblock().value();
        long oblock = work.oblock().value();
        switch (work.op()) {
            case PROMOTE -> {
                pending.remove(oblock);
                if (success) {
                    mapped.put(oblock, c);
                    state[c] = MAPPED;
                    recency.addTail(c);
                } else {
                    release(c);
                }
            }
            case DEMOTE -> {
                pending.remove(oblock);
                Long next = promoteAfterDemotion.remove(c);
                if (success) {
                    mapped.remove(c);
                    release(c);
                    if (next != null) {
                        queuePromotion(next, free.pollHead());
                    }
                } else {
                    state[c] = MAPPED;
                    recency.addHead(c);
                    if (next != null) {
                        pending.remove(next);
                    }
                }
            }
            case WRITEBACK -> throw new IllegalStateException("lru hands out no writebacks: " + work);
        }
    }

    private void release(int c) {
        state[c] = FREE;
        allocated--;
        free.addTail(c);
    }

    @Override
    public void setDirty(long cblock) {
        // lru keeps no dirty state: dirty blocks are written back when demoted
    }

    @Override
    public void clearDirty(long cblock) {}

    @Override
    public synchronized void loadMapping(long oblock, long cblock, boolean dirty, int hint, boolean hintValid) {
        int c = (int) cblock;
        if (state[c] != FREE) {
            throw new IllegalStateException("cblock " + c + " is already in use");
        }
        free.remove(c);
        mapped.put(oblock, c);
        state[c] = MAPPED;
        allocated++;
        recency.addTail(c);
    }

    @Override
    public synchronized boolean invalidateMapping(long cblock) {
        int c = (int) cblock;
        if (state[c] == FREE) {
            return false;
        }
        if (state[c] != MAPPED) {
            throw new IllegalStateException("cblock " + c + " has work in flight");
        }
        recency.remove(c);
        mapped.remove(c);
        release(c);
        return true;
    }

    @Override
    public int hint(long cblock) {
        return 0;
    }

    @Override
    public synchronized long residency() {
        return allocated;
    }

    @Override
    public void tick(boolean canBlock) {}

    @Override
    public synchronized void allowMigrations(boolean allow) {
        migrationsAllowed = allow;
    }

    @Override
    public long memoryBytes() {
        return 9L * size + mapped.memoryBytes();
    }
}
