package io.tiercache.spi.metadata;

import java.util.Arrays;

/**
 * Which policy wrote the hints: the superblock's policy name, version and hint size. Hints are only
 * trusted by a policy with the same name, major version and hint size.
 */
public record PolicyIdentity(String name, int major, int minor, int patch, int hintSize) {
    public PolicyIdentity {
        if (name.length() > 15) {
            throw new IllegalArgumentException("policy name longer than 15 bytes: " + name);
        }
        if (hintSize != 0 && hintSize != 4) {
            throw new IllegalArgumentException("hint size must be 0 or 4: " + hintSize);
        }
    }

    public static PolicyIdentity of(String name, int[] version, int hintSize) {
        return new PolicyIdentity(name, version[0], version[1], version[2], hintSize);
    }

    /** Whether hints written by {@code writer} may be given to this policy. */
    public boolean canUseHintsOf(PolicyIdentity writer) {
        return name.equals(writer.name) && major == writer.major && hintSize == writer.hintSize;
    }

    public int[] version() {
        return new int[] {major, minor, patch};
    }

    @Override
    public String toString() {
        return name + " " + Arrays.toString(version()) + " hint " + hintSize;
    }
}
