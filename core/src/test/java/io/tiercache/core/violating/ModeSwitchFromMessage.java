package io.tiercache.core.violating;

import io.tiercache.core.cache.IoMode;
import io.tiercache.core.cache.ModeSwitchChecks;
import io.tiercache.spi.block.BlockIoException;
import java.util.List;

/** A test fixture: a mode-switch check reached from a message handler, through a helper. */
public final class ModeSwitchFromMessage {
    public String message(List<String> words) throws BlockIoException {
        check(words.size() > 1);
        return "";
    }

    private static void check(boolean dirty) throws BlockIoException {
        ModeSwitchChecks.refuseDirtyInPassthrough(IoMode.PASSTHROUGH, dirty, "fixture");
    }
}
