package io.tiercache.core.cache;

import static org.assertj.core.api.Assertions.fail;

import java.time.Duration;

/** Polls a condition until it holds or a generous deadline passes. */
final class Await {
    @FunctionalInterface
    interface Check {
        boolean holds() throws Exception;
    }

    private Await() {}

    static void until(String what, Duration limit, Check check) throws Exception {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!check.holds()) {
            if (System.nanoTime() > deadline) {
                fail("timed out after " + limit + " waiting until " + what);
            }
            Thread.sleep(20);
        }
    }
}
