package io.tiercache.spi.metadata;

/**
 * How a table opens its metadata device.
 *
 * @param dataBlockSectors the table's cache block size; must equal the superblock's
 * @param mayFormat format the device if its first block is all zeroes
 * @param formatVersion the version to format with (the {@code metadata2} feature chooses 2)
 * @param readOnly open without ever writing (tools)
 */
public record OpenOptions(long dataBlockSectors, boolean mayFormat, int formatVersion, boolean readOnly) {}
