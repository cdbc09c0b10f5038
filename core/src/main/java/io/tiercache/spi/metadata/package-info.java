/**
 * Metadata formats: persistence only. A format plugin contributes a
 * {@link io.tiercache.spi.metadata.MetadataFormat} named by its on-disk version ({@code 1} or
 * {@code 2}).
 */
package io.tiercache.spi.metadata;
