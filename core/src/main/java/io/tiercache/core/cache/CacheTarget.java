package io.tiercache.core.cache;

import io.tiercache.core.dm.Bio;
import io.tiercache.core.dm.DmException;
import io.tiercache.core.dm.Target;
import io.tiercache.spi.metrics.MetricSink;
import io.tiercache.core.policy.CheckedPolicy;
import io.tiercache.spi.block.BlockIo;
import io.tiercache.spi.frontend.BlockStatusContext;
import io.tiercache.spi.frontend.ExtentSink;
import io.tiercache.spi.metadata.MetadataStats;
import io.tiercache.spi.metadata.PolicyIdentity;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;

/**
 * One constructed {@code cache} table entry: the kernel's {@code struct cache} with the hooks of
 * dm-cache-target.c. Construction ({@link CacheTargetType}) has opened the devices, created the
 * policy, shared the metadata object, switched it to write mode and told a passthrough policy that
 * migrations are not allowed; this class allocates the in-core state and wires the parts:
 *
 * <ul>
 *   <li>{@link BioMapper} — the I/O path; {@link BioPrison} — per-block locks;</li>
 *   <li>{@link Migrations}, {@link MigrationWorker}, {@link Invalidator} — background and
 *       request-driven changes of the cache's content;</li>
 *   <li>{@link Committer}, {@link MetadataOps}, {@link MetadataModes} — the metadata and its
 *       failure modes; {@link MetadataSync} — what postsuspend writes;</li>
 *   <li>{@link Preresume} (with {@link ModeSwitchChecks}), {@link CacheMessages},
 *       {@link StatusLine} — the control path.</li>
 * </ul>
 *
 * <p>Background work is forbidden from construction until the first resume, and again from each
 * postsuspend. Nothing is loaded from the metadata until the first preresume.
 */
public final class CacheTarget implements Target {
    /** What the constructor hands over. */
    record Parts(CacheLog log, CacheArgs args, CacheGeometry geometry, BlockIo cacheDevice, BlockIo originDevice,
            SharedMetadata.Handle metadata, MetadataModes modes, MetadataStats savedStats, CheckedPolicy policy,
            PolicyIdentity identity, long migrationThreshold, CacheTuning tuning, ScheduledExecutorService scheduler,
            Runnable event) {}

    private final CacheLog log;
    private final SharedMetadata.Handle handle;
    private final CheckedPolicy policy;
    private final MetadataModes modes;
    private final Committer committer;
    private final BackgroundGate gate = new BackgroundGate();
    private final MigrationWorker worker;
    private final Waker waker;
    private final BioMapper mapper;
    private final Preresume preresume;
    private final CacheReport report;
    private final MetadataSync sync;
    private final CacheMessages messages;
    private final StatusLine.Settings settings;
    private final StatusLine.Parts statusParts;
    private volatile boolean suspended = true;
    private boolean destroyed;

    CacheTarget(Parts p) {
        this.log = p.log();
        this.handle = p.metadata();
        this.policy = p.policy();
        this.modes = p.modes();
        IoMode mode = p.args().ioMode();
        CacheGeometry g = p.geometry();
        CacheDevices devices = new CacheDevices(p.cacheDevice(), p.originDevice(), g.blockBytes());
        CacheStats stats = new CacheStats();
        stats.load(p.savedStats());
        DirtySet dirty = new DirtySet(g.cacheBlocks(), policy, p.event());
        DiscardSet discards = new DiscardSet(g);
        MetadataOps ops = new MetadataOps(handle, modes);
        this.committer = new Committer(handle, modes, devices);
        IoTracker io = new IoTracker();
        // The prison asks for a commit when a request parks: the exclusive holder may be waiting for one.
        MigrationWorker[] workerRef = new MigrationWorker[1];
        BioPrison prison = new BioPrison(() -> workerRef[0].requestCommit());
        Migrations migrations = new Migrations(mode, g.blockBytes(), prison, policy, dirty, discards, devices, ops,
                committer, stats, log);
        this.worker = new MigrationWorker(policy, gate, migrations, committer, io, mode, g.blockSectors(), p.tuning(),
                log, modes);
        workerRef[0] = worker;
        worker.migrationThreshold(p.migrationThreshold());
        Invalidator invalidator = new Invalidator(prison, policy, gate, ops, committer, discards, devices,
                g.blockBytes(), log);
        this.mapper = new BioMapper(mode, g, p.args().discardPassdown(), prison, policy, dirty, discards, devices,
                committer, stats, io, modes, migrations, invalidator, gate, worker);
        this.report = new CacheReport(g, policy);
        this.preresume = new Preresume(log, mode, g, p.cacheDevice(), handle, modes, ops, policy, p.identity(), dirty,
                discards);
        this.sync = new MetadataSync(log, ops, committer, dirty, discards, g, stats, policy, p.identity(),
                preresume::cacheSize);
        this.messages = new CacheMessages(log, mode, modes, policy, worker, invalidator, preresume::cacheSize);
        this.waker = new Waker(p.scheduler(), p.tuning().wakerPeriod(), this::wake);
        this.settings = new StatusLine.Settings(mode, p.args().metadata2(), p.args().discardPassdown(),
                g.blockSectors(), policy.name());
        this.statusParts = new StatusLine.Parts(handle.metadata(), modes, policy, stats, dirty, worker);
    }

    @Override
    public void map(Bio bio) throws IOException {
        mapper.map(bio);
    }

    /** The {@code tiercache:cache} context says where each block lives; others get the default answer. */
    @Override
    public void blockStatus(BlockStatusContext context, long offset, long length, ExtentSink sink) {
        if (context == BlockStatusContext.CACHE) {
            report.report(offset, length, sink);
        } else {
            sink.extent(length, 0);
        }
    }

    @Override
    public void prefetch(long offset, long length) throws IOException {
        mapper.prefetch(offset, length);
    }

    /** The waker's round: tick, wake the worker, ask for a commit. Must not throw. */
    private void wake() {
        try {
            policy.tick(true);
            worker.wake();
            worker.requestCommit();
        } catch (RuntimeException e) {
            modes.policyFailed(e);
        }
    }

    /**
     * Forbids background work and waits for it to drain, stops the waker and the worker, then, in
     * write mode, writes dirty bits, discards, counters and hints with a clean commit.
     */
    @Override
    public void postsuspend() {
        gate.prevent();
        waker.stop();
        worker.pause();
        suspended = true;
        if (modes.mode() == MetadataMode.WRITE) {
            sync.sync();
        }
    }

    @Override
    public void preresume() throws DmException {
        preresume.run();
    }

    /**
     * Before I/O flows again: clears the clean-shutdown flag that the last suspend left on disk,
     * arms the tick, allows background work and runs the waker at once.
     */
    @Override
    public void resume() {
        committer.clearCleanFlag();
        suspended = false;
        mapper.armTick();
        gate.allow();
        worker.unpause();
        waker.start();
    }

    /** The INFO status; it commits first unless the device is suspended (target-semantics §2.1). */
    @Override
    public String status() {
        if (modes.mode() != MetadataMode.FAIL && !suspended) {
            try {
                committer.commit(false);
            } catch (IOException e) {
                // refused in read-only mode, or failed and handled
            }
        }
        return StatusLine.render(settings, statusParts, preresume.cacheSize());
    }

    @Override
    public void metrics(MetricSink sink) {
        CacheMetrics.report(sink, settings, statusParts, preresume.cacheSize());
    }

    @Override
    public String message(List<String> words) throws DmException {
        return messages.handle(words);
    }

    /** Stops the threads and drops the metadata reference; writes nothing (the kernel's dtr). */
    @Override
    public void dtr() {
        if (destroyed) {
            return;
        }
        destroyed = true;
        waker.stop();
        gate.prevent();
        worker.close();
        handle.close();
    }

    /** For logs and tests. */
    @Override
    public String toString() {
        return "cache target of " + log.device();
    }
}
