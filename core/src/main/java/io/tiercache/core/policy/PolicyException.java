package io.tiercache.core.policy;

/**
 * A policy could not be created or configured. {@link #getMessage()} is the kernel's constructor
 * error (what {@code dmsetup} shows); {@link #detail()} is what the kernel logs.
 */
public final class PolicyException extends Exception {
    /** The constructor error for an unknown policy name. */
    public static final String CREATE_FAILED = "Error creating cache's policy";
    /** The constructor error for a bad policy argument. */
    public static final String CONFIG_FAILED = "Error setting cache policy's config values";

    private static final long serialVersionUID = 1L;
    private final String detail;

    public PolicyException(String message, String detail) {
        super(message);
        this.detail = detail;
    }

    public String detail() {
        return detail;
    }
}
