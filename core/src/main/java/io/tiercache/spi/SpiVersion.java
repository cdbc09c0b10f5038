package io.tiercache.spi;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** The version of this SPI and of the tiercache build, as written by the build. */
public final class SpiVersion {
    private static final Properties PROPS = load();

    private SpiVersion() {}

    /** The SPI version (semantic), which the host sets as PF4J's system version. */
    public static String spi() {
        return PROPS.getProperty("spi.version");
    }

    /** The tiercache release this SPI belongs to. */
    public static String tiercache() {
        return PROPS.getProperty("tiercache.version");
    }

    private static Properties load() {
        try (InputStream in = SpiVersion.class.getResourceAsStream("spi-version.properties")) {
            if (in == null) {
                throw new IllegalStateException("spi-version.properties missing from the core jar");
            }
            Properties p = new Properties();
            p.load(in);
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
