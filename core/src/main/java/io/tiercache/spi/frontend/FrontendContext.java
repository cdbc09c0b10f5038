package io.tiercache.spi.frontend;

import java.util.Optional;

/** What the daemon gives a frontend: the devices to export and the frontend's settings. */
public interface FrontendContext {
    ExportRegistry exports();

    /**
     * A setting from the daemon's configuration or command line, e.g. {@code nbd.listen}
     * ({@code HOST:PORT}) or {@code nbd.socket} (a unix socket path).
     */
    Optional<String> setting(String key);
}
