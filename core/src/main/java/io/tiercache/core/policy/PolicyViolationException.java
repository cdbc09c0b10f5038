package io.tiercache.core.policy;

/**
 * A policy broke its contract (handed out a cblock twice, hit a block it never mapped, lost a
 * mapping, threw). The checking adapter refuses every later call with the same exception: the
 * cache must stop trusting the policy rather than act on a corrupt decision.
 */
public final class PolicyViolationException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public PolicyViolationException(String message) {
        super(message);
    }

    public PolicyViolationException(String message, Throwable cause) {
        super(message, cause);
    }
}
