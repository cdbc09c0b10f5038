package io.tiercache.frontend.nbd;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * Turns Netty's leak detector to paranoid (every buffer tracked) and collects what it reports, so a
 * test can assert that no ByteBuf was leaked, e.g. by a connection dropped mid-request.
 */
final class LeakWatcher {
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
    private final Logger logger = (Logger) LoggerFactory.getLogger(ResourceLeakDetector.class);
    private ResourceLeakDetector.Level previous;

    void start() {
        previous = ResourceLeakDetector.getLevel();
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
        appender.start();
        logger.addAppender(appender);
    }

    /** Collects unreachable buffers and returns the leak reports seen so far. */
    List<String> leaks() throws InterruptedException {
        for (int i = 0; i < 5; i++) {
            System.gc();
            Thread.sleep(50);
            // The detector reports when it tracks a new buffer; allocate a few to make it look.
            for (int j = 0; j < 100; j++) {
                ByteBuf b = PooledByteBufAllocator.DEFAULT.directBuffer(16);
                b.release();
            }
        }
        return appender.list.stream().map(ILoggingEvent::getFormattedMessage).filter(m -> m.contains("LEAK")).toList();
    }

    void stop() {
        logger.detachAppender(appender);
        appender.stop();
        ResourceLeakDetector.setLevel(previous);
    }
}
