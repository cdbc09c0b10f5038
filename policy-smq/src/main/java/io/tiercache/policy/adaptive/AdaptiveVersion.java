package io.tiercache.policy.adaptive;

import io.tiercache.spi.policy.PolicyVersion;

/** The version and hint size the {@code adaptive} policy registers with. */
public final class AdaptiveVersion {
    /**
     * 1.3.0: extent evidence does not displace a block of a busier extent. 1.2.0: a block idle for
     * longer than its count predicts counts as unused. 1.1.0: victims by count as well as recency,
     * usefulness target following the hit ratio (1.0.0: the first release). Hints carry over between
     * versions with the same major number.
     */
    public static final PolicyVersion VERSION = PolicyVersion.of(1, 3, 0);
    /** A hint is 4 bytes; see {@link BlockHint} for what it holds. */
    public static final int HINT_SIZE = 4;

    private AdaptiveVersion() {}
}
