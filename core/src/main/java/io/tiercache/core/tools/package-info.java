/**
 * The offline metadata tools' engines, behind the {@code tiercache check}, {@code dump},
 * {@code restore}, {@code repair} and {@code metadata-size} commands (thin-provisioning-tools'
 * {@code cache_check}, {@code cache_dump}, {@code cache_restore}, {@code cache_repair} and
 * {@code cache_metadata_size}).
 *
 * <ul>
 *   <li>{@link io.tiercache.core.tools.CacheChecker}: reads a metadata device as both tool
 *       generations' {@code cache_check} do — superblock, every B-tree, array and bitset, the space
 *       map against a recount of every reference — and explains each problem by block, structure
 *       and fault. It is a reader of the on-disk format (spec §3–§5), like {@code cache_check}, so it
 *       needs no format plugin.</li>
 *   <li>{@link io.tiercache.core.tools.SalvageReader}: replays whatever can be read of a device as a
 *       {@link io.tiercache.spi.metadata.MetadataImage}, for {@code repair}.</li>
 *   <li>{@link io.tiercache.core.tools.XmlImageWriter} / {@link io.tiercache.core.tools.XmlImageReader}:
 *       the XML of {@code cache_dump} / {@code cache_restore} (spec §9).</li>
 *   <li>{@link io.tiercache.core.tools.MetadataSize}: {@code cache_metadata_size}'s estimate.</li>
 * </ul>
 *
 * <p>Dump and restore go through the {@link io.tiercache.spi.metadata.MetadataFormat} extensions
 * ({@link io.tiercache.core.tools.Formats}); core never names a format plugin.
 */
package io.tiercache.core.tools;
