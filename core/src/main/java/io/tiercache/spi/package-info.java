/**
 * The tiercache plugin SPI: the only packages a plugin (policy, metadata format, frontend) may use.
 *
 * <p>Like nbdkit's plugin header it is small and versioned: {@link io.tiercache.spi.SpiVersion}
 * holds the version the host announces to PF4J, and every plugin states the range it accepts in its
 * {@code Plugin-Requires} manifest entry. Additions keep old plugins working (new interface methods
 * come with defaults); anything else bumps the major version.
 */
package io.tiercache.spi;
