package io.tiercache.core.metrics;

import io.tiercache.spi.metrics.MetricSink;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;

/**
 * The daemon process itself: heap, the direct buffers the I/O path pools (a leak shows here
 * first), threads and uptime.
 */
public final class JvmMetrics {
    private JvmMetrics() {}

    public static void report(MetricSink sink) {
        MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        sink.gauge("tiercache_jvm_heap_used_bytes", "Java heap in use.", heap.getUsed());
        sink.gauge("tiercache_jvm_heap_committed_bytes", "Java heap committed by the JVM.", heap.getCommitted());
        for (BufferPoolMXBean pool : ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class)) {
            sink.gauge("tiercache_jvm_buffer_pool_used_bytes", "Memory held by NIO buffers, by pool (direct, mapped).",
                    pool.getMemoryUsed(), "pool", pool.getName());
        }
        sink.gauge("tiercache_jvm_threads", "Live platform threads.", ManagementFactory.getThreadMXBean().getThreadCount());
        sink.gauge("tiercache_uptime_seconds", "Seconds since the daemon's JVM started.",
                ManagementFactory.getRuntimeMXBean().getUptime() / 1000.0);
    }
}
