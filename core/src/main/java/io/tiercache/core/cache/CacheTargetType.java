package io.tiercache.core.cache;

import io.tiercache.core.dm.DmException;
import io.tiercache.core.dm.Target;
import io.tiercache.core.dm.TargetContext;
import io.tiercache.core.dm.TargetException;
import io.tiercache.core.dm.TargetType;
import io.tiercache.core.policy.CheckedPolicy;
import io.tiercache.core.policy.PolicyException;
import io.tiercache.core.policy.PolicyRegistry;
import io.tiercache.core.policy.PolicyType;
import io.tiercache.spi.block.BlockIo;
import io.tiercache.spi.block.Errno;
import io.tiercache.spi.metadata.MetadataStats;
import io.tiercache.spi.metadata.PolicyIdentity;
import io.tiercache.spi.policy.PolicyGeometry;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The {@code cache} target type, version 2.4.0 (the kernel's dm-cache after the two 2026
 * passthrough fixes). {@link #construct} is the constructor of target-semantics §1.5, step by step
 * and with the kernel's error texts (§1.6): devices, block size, features and policy, sizes,
 * policy, core and policy arguments, the shared metadata object, write access, passthrough.
 * Nothing about dirtiness is checked here: that is preresume's business ({@link ModeSwitchChecks}).
 */
@Singleton
public final class CacheTargetType implements TargetType {
    static final int[] VERSION = {2, 4, 0};
    static final long DEFAULT_MIGRATION_THRESHOLD = 2048;
    private static final long WARN_METADATA_BYTES = 16L << 30;
    private static final long WARN_CACHE_BLOCKS = 1L << 20;

    private final PolicyRegistry policies;
    private final SharedMetadata metadata;
    private final CacheTuning tuning;
    private final InstantSource clock;
    /** One thread fires every cache table's waker; the waker's work never blocks (see {@link Waker}). */
    private static final ScheduledExecutorService SCHEDULER = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("cache-waker").factory());

    @Inject
    public CacheTargetType(PolicyRegistry policies, SharedMetadata metadata) {
        this(policies, metadata, CacheTuning.KERNEL, InstantSource.system());
    }

    public CacheTargetType(PolicyRegistry policies, SharedMetadata metadata, CacheTuning tuning, InstantSource clock) {
        this.policies = policies;
        this.metadata = metadata;
        this.tuning = tuning;
        this.clock = clock;
    }

    @Override
    public String name() {
        return "cache";
    }

    @Override
    public int[] version() {
        return VERSION.clone();
    }

    @Override
    public Target construct(TargetContext ctx, List<String> args) throws TargetException, DmException {
        CacheLog log = new CacheLog(ctx.deviceName());
        if (ctx.start() != 0) {
            // The kernel uses the device sector as the origin sector; only a table starting at 0 works.
            throw new TargetException("Cache target must start at sector 0");
        }
        BlockIo meta = open(ctx, args, 0, "Error opening metadata device");
        if (meta.size() > WARN_METADATA_BYTES) {
            log.warn("Metadata device " + args.get(0) + " is larger than " + WARN_METADATA_BYTES / 512
                    + " sectors: excess space will not be used.");
        }
        BlockIo cache = open(ctx, args, 1, "Error opening cache device");
        BlockIo origin = open(ctx, args, 2, "Error opening origin device");
        ctx.requireArea(args.get(2), origin, 0, ctx.length());
        CacheArgs a = CacheArgs.parse(args);
        long cacheSectors = cache.size() / CacheGeometry.SECTOR;
        if (a.blockSectors() > cacheSectors) {
            throw new TargetException("Data block size is larger than the cache device");
        }
        CacheGeometry g = CacheGeometry.of(a.blockSectors(), ctx.length(), cacheSectors);
        if (g.cacheBlocks() > WARN_CACHE_BLOCKS) {
            log.warn("You have created a cache device with a lot of individual cache blocks (" + g.cacheBlocks()
                    + ") All these mappings can consume a lot of kernel memory, and take some time to read/write."
                    + " Please consider increasing the cache block size to reduce the overall cache block count.");
        }
        PolicyType type = policyType(a, log);
        CheckedPolicy policy = createPolicy(type, g, log);
        long threshold = applyConfig(policy, a.policyArgs(), log);
        return withMetadata(ctx, log, a, g, cache, origin, meta, type, policy, threshold);
    }

    private static BlockIo open(TargetContext ctx, List<String> args, int i, String error) throws TargetException {
        if (args.size() <= i) {
            throw new TargetException("Insufficient args");
        }
        return ctx.getDevice(args.get(i), error);
    }

    private PolicyType policyType(CacheArgs a, CacheLog log) throws TargetException {
        try {
            return policies.require(a.policyName());
        } catch (PolicyException e) {
            log.error(e.detail());
            throw new TargetException(e.getMessage());
        }
    }

    private CheckedPolicy createPolicy(PolicyType type, CacheGeometry g, CacheLog log) throws TargetException {
        try {
            return type.create(new PolicyGeometry(g.cacheBlocks(), g.originSectors(), g.blockSectors()), clock,
                    List.of());
        } catch (PolicyException e) {
            log.error(e.detail());
            throw new TargetException(e.getMessage());
        } catch (RuntimeException e) {
            log.error("policy " + type.realName() + " refused to start: " + e.getMessage());
            throw new TargetException(PolicyException.CREATE_FAILED);
        }
    }

    /** Key/value pairs in order: {@code migration_threshold} is the core's, the rest the policy's. */
    private static long applyConfig(CheckedPolicy policy, List<String> pairs, CacheLog log) throws TargetException {
        if (pairs.size() % 2 != 0) {
            log.warn("Odd number of policy arguments given but they should be <key> <value> pairs.");
            throw new TargetException(PolicyException.CONFIG_FAILED);
        }
        long threshold = DEFAULT_MIGRATION_THRESHOLD;
        for (int i = 0; i < pairs.size(); i += 2) {
            String key = pairs.get(i);
            String value = pairs.get(i + 1);
            boolean ok;
            if (key.toLowerCase(Locale.ROOT).equals("migration_threshold")) {
                long v = CacheArgs.unsigned(value);
                ok = v >= 0;
                threshold = ok ? v : threshold;
            } else {
                ok = policy.setConfigValue(key, value);
            }
            if (!ok) {
                log.warn("bad config value for " + key + ": " + value);
                throw new TargetException(PolicyException.CONFIG_FAILED);
            }
        }
        return threshold;
    }

    /** Steps 6 to 12: share the metadata object, get write access, build the target. */
    private Target withMetadata(TargetContext ctx, CacheLog log, CacheArgs a, CacheGeometry g, BlockIo cache,
            BlockIo origin, BlockIo meta, PolicyType type, CheckedPolicy policy, long threshold)
            throws TargetException {
        SharedMetadata.Handle handle;
        try {
            handle = metadata.acquire(deviceKey(a.metadataDev()), meta, a.blockSectors(), a.metadata2() ? 2 : 1);
        } catch (IOException | RuntimeException e) {
            throw new TargetException("Error creating metadata object");
        }
        try {
            MetadataModes modes = new MetadataModes(handle.metadata(), log, ctx::raiseEvent);
            modes.set(MetadataMode.WRITE);
            if (modes.mode() != MetadataMode.WRITE) {
                throw new TargetException(Errno.EINVAL,
                        "Unable to get write access to metadata, please check/repair metadata.");
            }
            if (a.ioMode() == IoMode.PASSTHROUGH) {
                policy.allowMigrations(false); // §1.5 step 8; since 2026 no dirty check here
            }
            PolicyIdentity identity = PolicyIdentity.of(type.realName(), new int[] {type.version().major(),
                type.version().minor(), type.version().patch()}, type.hintSize());
            return new CacheTarget(new CacheTarget.Parts(log, a, g, cache, origin, handle, modes, savedStats(handle),
                    policy, identity, threshold, tuning, SCHEDULER, ctx::raiseEvent));
        } catch (TargetException | RuntimeException e) {
            handle.close();
            throw e;
        }
    }

    private static MetadataStats savedStats(SharedMetadata.Handle handle) {
        try {
            return handle.metadata().stats();
        } catch (IOException e) {
            return MetadataStats.ZERO;
        }
    }

    /**
     * The identity of a metadata device argument: a tiercache device by name, a file by its real
     * path (two spellings of one file share one metadata object, as two names of one block device do).
     */
    static String deviceKey(String arg) {
        if (!arg.contains("/")) {
            return "dm:" + arg;
        }
        Path p = Path.of(arg);
        try {
            return p.toRealPath().toString();
        } catch (IOException e) {
            return p.toAbsolutePath().normalize().toString();
        }
    }
}
