/**
 * Frontends: how clients reach the devices (NBD). A frontend plugin contributes a
 * {@link io.tiercache.spi.frontend.Frontend}; the daemon starts every frontend it finds and hands it
 * the {@link io.tiercache.spi.frontend.ExportRegistry}.
 */
package io.tiercache.spi.frontend;
