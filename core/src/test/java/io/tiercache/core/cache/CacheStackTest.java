package io.tiercache.core.cache;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fixture most cache target tests share: a {@link CacheStack} of files in a fresh folder and
 * one simulated process over it, removed after each test. A test class may replace {@link #proc}
 * (a restart) and adds its own set-up, which runs after this one.
 */
abstract class CacheStackTest {
    /** Which geometry of files a test class works on ({@link CacheStack#f} or {@link CacheStack#small}). */
    @FunctionalInterface
    interface Files {
        CacheStack create(Path dir) throws IOException;
    }

    private final Files files;
    @TempDir
    Path dir;
    CacheStack stack;
    CacheStack.Proc proc;

    CacheStackTest(Files files) {
        this.files = files;
    }

    @BeforeEach
    final void startProcess() throws Exception {
        stack = files.create(dir);
        proc = stack.process();
    }

    @AfterEach
    final void stopProcess() {
        proc.close();
    }
}
