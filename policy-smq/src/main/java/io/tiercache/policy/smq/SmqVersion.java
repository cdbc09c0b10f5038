package io.tiercache.policy.smq;

import io.tiercache.spi.policy.PolicyVersion;

/** The version and hint size smq, mq, default and cleaner register with, the kernel's. */
public final class SmqVersion {
    /** 2.0.0: the background-work interface (the kernel's smq since 4.12). */
    public static final PolicyVersion VERSION = PolicyVersion.of(2, 0, 0);
    /** A hint is the entry's queue level, 4 bytes. */
    public static final int HINT_SIZE = 4;

    private SmqVersion() {}
}
