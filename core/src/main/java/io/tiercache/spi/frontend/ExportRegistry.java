package io.tiercache.spi.frontend;

import java.util.List;
import java.util.Optional;

/**
 * The devices that can be exported right now: every device with a live table. None of these calls
 * blocks (not even on a suspended device), so a frontend may make them on its network threads.
 */
public interface ExportRegistry {
    /** Names of the exportable devices, sorted. */
    List<String> names();

    /**
     * Opens a device for a client (counted in the device's open count, like opening a dm device);
     * empty if there is no such device or it has no live table.
     */
    Optional<Export> open(String name);

    /** A short description for listings; empty if the device does not exist. */
    Optional<String> describe(String name);
}
