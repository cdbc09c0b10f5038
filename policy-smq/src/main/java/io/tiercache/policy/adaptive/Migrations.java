package io.tiercache.policy.adaptive;

import static io.tiercache.policy.adaptive.LinkedLists.FREE;
import static io.tiercache.policy.adaptive.LinkedLists.NONE;

import io.tiercache.spi.policy.PolicyWork;
import java.util.Optional;

/**
 * The copy work the policy asks of the core, from queueing to completion.
 * <ul>
 *   <li>A promotion into a free block claims it ({@code RESERVED}) and queues it, or hands it back
 *       for immediate promotion.
 *   <li>A replacement is a demotion whose completion queues the promotion of the candidate into the
 *       freed block (the candidate's origin block is stashed in the victim's list links meanwhile),
 *       unless the candidate got in otherwise, migrations were switched off or the ring is full.
 *   <li>Work waits in a {@link WorkRing}; while it is full, misses are simply not promoted.
 *   <li>Dirty blocks are written back when the core says the device is idle: a cleaning hand sweeps
 *       the cblocks in a circle. A dirty victim is written back by its demotion.
 *   <li>Switching migrations off withdraws the promotions and demotions not handed out yet.
 * </ul>
 * One {@link PolicyWork} is allocated per piece of work handed out; nothing else.
 */
final class Migrations {
    private final int cacheBlocks;
    private final BlockTable blocks;
    private final LinkedLists lists;
    private final OriginIndex index;
    private final SegmentedLru segments;
    private final AdmissionFeedback feedback;
    private final WorkRing work;
    private boolean allowed = true;
    private int cleaningHand;

    Migrations(int cacheBlocks, BlockTable blocks, LinkedLists lists, OriginIndex index, SegmentedLru segments,
            AdmissionFeedback feedback) {
        this.cacheBlocks = cacheBlocks;
        this.blocks = blocks;
        this.lists = lists;
        this.index = index;
        this.segments = segments;
        this.feedback = feedback;
        this.work = new WorkRing(cacheBlocks);
    }

    boolean allowed() {
        return allowed;
    }

    /** No more work can wait. */
    boolean isFull() {
        return work.isFull();
    }

    /**
     * Claims a free cblock for a promotion of {@code oblock} and queues it, unless {@code immediate}:
     * then the caller hands it out for promotion now. Returns the cblock; the free list must not be empty.
     */
    int promoteIntoFree(long oblock, boolean byExtent, boolean immediate) {
        int f = lists.pollHead(FREE);
        reserve(f, oblock, byExtent);
        if (!immediate) {
            queue(f);
        }
        return f;
    }

    /** Queues the demotion of {@code victim}, to be followed by the promotion of {@code oblock} into it. */
    void replace(int victim, long oblock, boolean byExtent) {
        feedback.resolve(blocks, victim, false);
        segments.remove(victim);
        blocks.setState(victim, BlockTable.DEMOTING);
        blocks.set(victim, BlockTable.FOLLOWED, true);
        blocks.set(victim, BlockTable.BY_EXTENT, byExtent);
        lists.stash(victim, oblock);
        queue(victim);
    }

    /** Claims free cblock {@code c} for a promotion of {@code oblock}. */
    private void reserve(int c, long oblock, boolean byExtent) {
        if (byExtent) {
            feedback.admittedByExtent();
        }
        blocks.oblock[c] = oblock;
        blocks.clear(c);
        blocks.setState(c, BlockTable.RESERVED);
        blocks.set(c, BlockTable.BY_EXTENT, byExtent);
        index.add(c);
    }

    private void queue(int c) {
        blocks.set(c, BlockTable.QUEUED, true);
        work.add(c);
    }

    /** Back to the free list. */
    void release(int c) {
        blocks.clear(c);
        lists.addTail(FREE, c);
    }

    /** Queued promotions and demotions first; when idle, writebacks of dirty blocks. */
    Optional<PolicyWork> next(boolean idle) {
        int c = work.poll();
        if (c != NONE) {
            blocks.set(c, BlockTable.QUEUED, false);
            return Optional.of(workAt(c));
        }
        if (idle && blocks.dirtyCount() > 0) {
            c = nextDirty();
            if (c != NONE) {
                blocks.setState(c, BlockTable.WRITING_BACK);
                return Optional.of(PolicyWork.writeback(blocks.oblock[c], c));
            }
        }
        return Optional.empty();
    }

    private PolicyWork workAt(int c) {
        long oblock = blocks.oblock[c];
        return switch (blocks.state(c)) {
            case BlockTable.RESERVED -> PolicyWork.promote(oblock, c);
            case BlockTable.DEMOTING -> PolicyWork.demote(oblock, c);
            default -> throw new IllegalStateException("cblock " + c + " has no queued work");
        };
    }

    /** The next dirty block without work in flight after the cleaning hand, which sweeps the cblocks in a circle. */
    private int nextDirty() {
        for (int i = 0; i < cacheBlocks; i++) {
            int c = cleaningHand;
            cleaningHand = cleaningHand + 1 == cacheBlocks ? 0 : cleaningHand + 1;
            if (blocks.state(c) == BlockTable.MAPPED && blocks.is(c, BlockTable.DIRTY)) {
                return c;
            }
        }
        return NONE;
    }

    /** Completes work on cblock {@code c}, which was handed out as {@code done}. */
    void complete(int c, PolicyWork done, boolean success) {
        int expected = switch (done.op()) {
            case PROMOTE -> BlockTable.RESERVED;
            case DEMOTE -> BlockTable.DEMOTING;
            case WRITEBACK -> BlockTable.WRITING_BACK;
        };
        if (blocks.state(c) != expected || blocks.is(c, BlockTable.QUEUED)
                || blocks.oblock[c] != done.oblock().value()) {
            throw new IllegalArgumentException("completing " + done + ", which was not handed out");
        }
        switch (done.op()) {
            case PROMOTE -> {
                if (success) {
                    blocks.setState(c, BlockTable.MAPPED);
                    blocks.set(c, BlockTable.UNUSED, true);
                    segments.add(c, false);
                } else {
                    index.remove(c);
                    release(c);
                }
            }
            case DEMOTE -> completeDemotion(c, success);
            case WRITEBACK -> blocks.setState(c, BlockTable.MAPPED);
        }
    }

    /** A completed demotion frees the block, or passes it on to the promotion it made room for. */
    private void completeDemotion(int c, boolean success) {
        boolean followed = blocks.is(c, BlockTable.FOLLOWED);
        boolean byExtent = blocks.is(c, BlockTable.BY_EXTENT);
        long next = followed ? lists.unstash(c) : 0;
        if (!success) {
            blocks.set(c, BlockTable.BY_EXTENT, false);
            blocks.setState(c, BlockTable.MAPPED);
            segments.add(c, false);
            return;
        }
        index.remove(c);
        if (followed && allowed && index.find(next) == NONE && !work.isFull()) {
            reserve(c, next, byExtent);
            queue(c);
        } else {
            release(c);
        }
    }

    /** Switching migrations off withdraws the promotions and demotions not handed out yet. */
    void allow(boolean allow) {
        allowed = allow;
        if (!allow) {
            work.removeIf(this::withdraw);
        }
    }

    private boolean withdraw(int c) {
        switch (blocks.state(c)) {
            case BlockTable.RESERVED -> {
                index.remove(c);
                release(c);
            }
            case BlockTable.DEMOTING -> {
                if (blocks.is(c, BlockTable.FOLLOWED)) {
                    lists.unstash(c);
                }
                blocks.set(c, BlockTable.BY_EXTENT, false);
                blocks.setState(c, BlockTable.MAPPED);
                segments.add(c, false);
            }
            default -> throw new IllegalStateException("cblock " + c + " has no queued work");
        }
        return true;
    }

    long bytes() {
        return work.bytes();
    }
}
