/**
 * Cache policies: decisions only, never I/O (the kernel's dm-cache-policy.h). A policy plugin
 * contributes a {@link io.tiercache.spi.policy.CachePolicyFactory} extension named with
 * {@link io.tiercache.spi.ExtensionName}; the cache target looks it up by the table's policy name.
 */
package io.tiercache.spi.policy;
