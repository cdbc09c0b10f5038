package io.tiercache.spi.policy;

/**
 * A policy's version triple. The metadata stores it with the policy name and hint size; hints
 * written by one policy are trusted by another only when the names, the <em>major</em> versions and
 * the hint sizes agree.
 */
public record PolicyVersion(int major, int minor, int patch) {
    public PolicyVersion {
        if (major < 0 || minor < 0 || patch < 0) {
            throw new IllegalArgumentException("negative policy version " + major + "." + minor + "." + patch);
        }
    }

    public static PolicyVersion of(int major, int minor, int patch) {
        return new PolicyVersion(major, minor, patch);
    }

    @Override
    public String toString() {
        return major + "." + minor + "." + patch;
    }
}
