/**
 * Persistent data: the on-disk building blocks of dm-cache metadata, byte-compatible with the
 * kernel's {@code drivers/md/persistent-data} and thin-provisioning-tools (see
 * {@code shared/spec/metadata-format.md}). Persistence only; what the structures mean to a cache
 * belongs to the metadata format plugins.
 *
 * <ul>
 *   <li>{@link io.tiercache.spi.pdata.BlockManager}: 4 KiB blocks over a
 *       {@link io.tiercache.spi.block.BlockIo}, validated by a {@link io.tiercache.spi.pdata.Validator}
 *       per {@link io.tiercache.spi.pdata.BlockKind}, cached with Caffeine; dirty blocks pinned until
 *       commit.</li>
 *   <li>{@link io.tiercache.spi.pdata.TransactionManager}: format/open, copy-on-write shadowing,
 *       commit (space map, blocks, flush, superblock, flush), abort.</li>
 *   <li>{@link io.tiercache.spi.pdata.MetadataSpaceMap}: reference counts (bitmaps, index,
 *       overflow B-tree).</li>
 *   <li>{@link io.tiercache.spi.pdata.BTree}, {@link io.tiercache.spi.pdata.DmArray},
 *       {@link io.tiercache.spi.pdata.DmBitset}: dm-btree, dm-array, dm-bitset.</li>
 *   <li>{@link io.tiercache.spi.pdata.CacheSuperblock}: block 0 of both formats.</li>
 *   <li>{@link io.tiercache.spi.pdata.ReferenceCounter}: recounts references and checks shapes, as
 *       {@code cache_check} does.</li>
 * </ul>
 *
 * <p>Typical use by a format (one thread at a time, like the kernel's metadata lock):
 *
 * <pre>{@code
 * TransactionManager tm = TransactionManager.isBlank(dev)
 *         ? TransactionManager.format(dev, 2, Options.readWrite())
 *         : TransactionManager.open(dev, Options.readWrite());
 * CacheSuperblock sb = tm.superblock();
 * DmArray mappings = DmArray.open(tm, "mapping array", 8, sb.mappingRoot(), sb.cacheBlocks());
 * DmBitset dirty = DmBitset.open(tm, "dirty bitset", sb.dirtyRoot(), sb.cacheBlocks());
 * mappings.set(cblock, oblock << 16 | 1);
 * dirty.set(cblock);
 * long dirtyRoot = dirty.root();                    // flushes the bitset's cached word
 * tm.commit(prev -> prev.toBuilder().mappingRoot(mappings.root()).dirtyRoot(dirtyRoot).build());
 * }</pre>
 *
 * <p>After an exception from any modifying call the transaction is undefined: call
 * {@link io.tiercache.spi.pdata.TransactionManager#abort()} and reopen the structures from
 * {@link io.tiercache.spi.pdata.TransactionManager#superblock()}.
 */
package io.tiercache.spi.pdata;
