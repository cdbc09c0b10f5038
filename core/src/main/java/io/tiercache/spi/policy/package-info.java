/**
 * Cache policies: decisions only, never I/O (the kernel's {@code dm-cache-policy.h}). A policy
 * plugin contributes {@link io.tiercache.spi.policy.CachePolicyFactory} extensions named with
 * {@link io.tiercache.spi.ExtensionName}; the cache target looks one up by the table's policy name,
 * creates a {@link io.tiercache.spi.policy.CachePolicy} per table and drives it through lookups,
 * background work ({@link io.tiercache.spi.policy.PolicyWork}), dirty-state notifications, hints and
 * ticks. {@link io.tiercache.spi.policy.Lookup} packs lookup results into a {@code long} so the
 * request path allocates nothing.
 */
package io.tiercache.spi.policy;
