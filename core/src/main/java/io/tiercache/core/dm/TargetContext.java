package io.tiercache.core.dm;

import io.tiercache.spi.block.BlockIo;

/** What a target's constructor may use: its place in the table and the devices it names. */
public interface TargetContext {
    /** The name of the device whose table is being loaded. */
    String deviceName();

    /** This target's start in the device, in sectors. */
    long start();

    /** This target's length, in sectors. */
    long length();

    /**
     * Opens a device named in the table (dm_get_device): another tiercache device by name, or a
     * file or block device by path. It stays open until the table is destroyed.
     *
     * @throws TargetException with {@code lookupError} as the target's error text
     */
    BlockIo getDevice(String arg, String lookupError) throws TargetException;

    /**
     * Checks that {@code [offset, offset + length)} sectors lie inside {@code device}, as the table
     * validation does; the refusal is logged as {@code <dev> too small for target}.
     */
    void requireArea(String arg, BlockIo device, long offsetSectors, long lengthSectors)
            throws DmException;

    /** Raises a device event ({@code dm_table_event}): the event counter moves, waiters wake. */
    void raiseEvent();
}
