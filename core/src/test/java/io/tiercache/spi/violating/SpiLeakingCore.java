package io.tiercache.spi.violating;

import io.tiercache.core.dm.DmException;

/** A test fixture: an SPI type that exposes a core class. The architecture rules must reject it. */
public interface SpiLeakingCore {
    void run() throws DmException;
}
