package io.tiercache.core.control;

import io.tiercache.core.daemon.DaemonConfig;
import io.tiercache.core.dm.DeviceMapper;
import io.tiercache.core.dm.DmException;
import io.tiercache.core.dm.Target;
import io.tiercache.core.dm.TargetRegistry;
import io.tiercache.core.dm.TargetType;
import io.tiercache.core.dm.targets.LinearTarget;
import io.tiercache.core.metrics.DaemonMetrics;
import io.tiercache.spi.block.Errno;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A control server on a socket in a temporary folder, over a real {@link DeviceMapper} with
 * {@code linear} and a test type {@code event} whose message {@code raise} raises a device event
 * and any other answers {@code pong <words>}; {@code event refuse} refuses to resume. Shared by
 * the server and the CLI tests.
 */
public final class ControlFixture implements AutoCloseable {
    public final Path socket;
    public final Path image;
    public final DeviceMapper dm;
    public final ControlServer server;

    private ControlFixture(Path dir) throws IOException {
        socket = dir.resolve("run").resolve("control.sock");
        image = dir.resolve("origin.img");
        try (RandomAccessFile f = new RandomAccessFile(image.toFile(), "rw")) {
            f.setLength(64L << 20);
        }
        dm = new DeviceMapper(new TargetRegistry(Map.of("linear", new LinearTarget.Type(), "event", new EventType())));
        server = new ControlServer(config(socket, dir), dm, new DaemonMetrics(dm, Map.of()));
    }

    public static ControlFixture start(Path dir) throws IOException {
        ControlFixture f = new ControlFixture(dir);
        f.server.start();
        return f;
    }

    /** The device mapper and image only; the server is built but not listening. */
    public static ControlFixture unstarted(Path dir) throws IOException {
        return new ControlFixture(dir);
    }

    public static DaemonConfig config(Path socket, Path dir) {
        return new DaemonConfig(socket, "", Optional.empty(), dir.resolve("state"), dir.resolve("plugins"), Map.of());
    }

    /** A linear line over the 64 MiB image. */
    public String linear(long start, long length, long offset) {
        return start + " " + length + " linear " + image + " " + offset;
    }

    @Override
    public void close() {
        server.close();
    }

    /** {@code event}: no I/O; messages raise an event or answer. */
    static final class EventType implements TargetType {
        @Override
        public String name() {
            return "event";
        }

        @Override
        public int[] version() {
            return new int[] {0, 1, 2};
        }

        @Override
        public Target construct(io.tiercache.core.dm.TargetContext ctx, List<String> args) {
            boolean refuse = args.contains("refuse");
            return new Target() {
                @Override
                public void map(io.tiercache.core.dm.Bio bio) {}

                @Override
                public void preresume() throws DmException {
                    if (refuse) {
                        throw new DmException(Errno.EINVAL, "refusing to resume");
                    }
                }

                @Override
                public String status() {
                    return "ok";
                }

                @Override
                public String message(List<String> words) {
                    if (words.equals(List.of("raise"))) {
                        ctx.raiseEvent();
                        return "";
                    }
                    return "pong " + String.join(" ", words);
                }
            };
        }
    }
}
