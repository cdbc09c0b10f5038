package io.tiercache.policy.adaptive;

/**
 * The 4-byte hint saved for each cache block at suspend, so that a reloaded cache keeps both what
 * it knew about each block's popularity and which blocks had proved themselves:
 * <ul>
 *   <li>bits 0–3: the block's recent uses, 0–15 (as {@link Popularity#uses} counts them);
 *   <li>bit 4: set if the block sat in the protected segment (it was hit after its promotion);
 *   <li>bits 5–31: zero; ignored when read.
 * </ul>
 * An unmapped block's hint is 0. A hint from another policy, another major version or after a crash
 * is not trusted: the block is then reloaded on probation with no use counted.
 */
final class BlockHint {
    private static final int COUNT_MASK = 15;
    private static final int PROTECTED_BIT = 16;

    private BlockHint() {}

    static int encode(int count, boolean isProtected) {
        return Math.min(Math.max(count, 0), COUNT_MASK) | (isProtected ? PROTECTED_BIT : 0);
    }

    static int uses(int hint) {
        return hint & COUNT_MASK;
    }

    static boolean isProtected(int hint) {
        return (hint & PROTECTED_BIT) != 0;
    }
}
