package io.tiercache.spi.policy;

/** The direction of the request a lookup is made for (the kernel passes the bio's data direction). */
public enum Direction {
    READ,
    WRITE
}
