package io.tiercache.core.device;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.nio.file.Path;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deallocates or zeroes ranges of a file with {@code fallocate(2)}, called through the FFM API on a
 * second descriptor of the file (FileChannel does not expose its own).
 *
 * <p>Everything here is best effort. Where the file system refuses a mode, that mode is remembered
 * as unsupported and the caller's fallback is used from then on: {@link #punch} keeps the data (a
 * discard is advisory) and {@link #zeroRange} answers false so the caller writes zeroes. Where the
 * native call cannot be made at all (no native access), both fall back for every file.
 */
class HolePuncher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HolePuncher.class);

    private static final int FALLOC_FL_KEEP_SIZE = 0x01;
    private static final int FALLOC_FL_PUNCH_HOLE = 0x02;
    private static final int FALLOC_FL_ZERO_RANGE = 0x10;
    private static final int PUNCH = FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE;
    private static final int ZERO = FALLOC_FL_ZERO_RANGE | FALLOC_FL_KEEP_SIZE;

    private static final int EPERM = 1;
    private static final int EINTR = 4;
    private static final int ENODEV = 19;
    private static final int EINVAL = 22;
    private static final int ENOSYS = 38;
    private static final int EOPNOTSUPP = 95;

    private final Path path;
    /** The second descriptor, or -1 once closed or when none could be opened. */
    private int fd;
    /** Keeps {@link #close} from reusing the fd number while a call is using it. */
    private final ReentrantReadWriteLock fdLock = new ReentrantReadWriteLock();
    private volatile boolean punchWorks;
    private volatile boolean zeroRangeWorks;

    private HolePuncher(Path path, int fd) {
        this.path = path;
        this.fd = fd;
        this.punchWorks = fd >= 0;
        this.zeroRangeWorks = fd >= 0;
    }

    static HolePuncher open(Path path) {
        Libc libc = Libc.INSTANCE;
        if (libc == null) {
            return new HolePuncher(path, -1);
        }
        return new HolePuncher(path, libc.openWriteOnly(path));
    }

    /** Deallocates the range if the file system can; contents afterwards read as zeroes or stay. */
    void punch(long offset, long length) {
        if (length > 0 && punchWorks) {
            // A failure is logged and otherwise ignored: the data staying is a valid discard.
            call(PUNCH, offset, length);
        }
    }

    /** Zeroes the range without writing data; false if that is not possible here. */
    boolean zeroRange(long offset, long length) {
        if (length <= 0) {
            return length == 0;
        }
        if (zeroRangeWorks && call(ZERO, offset, length) == 0) {
            return true;
        }
        // A punched hole also reads back as zeroes, and needs no space where ZERO_RANGE might.
        return punchWorks && call(PUNCH, offset, length) == 0;
    }

    /** Runs fallocate with {@code mode}; answers 0 or the errno it failed with. */
    private int call(int mode, long offset, long length) {
        fdLock.readLock().lock();
        try {
            if (fd < 0) {
                return ENODEV;
            }
            int err;
            do {
                err = Libc.INSTANCE.fallocate(fd, mode, offset, length);
            } while (err == EINTR);
            if (err != 0) {
                failed(mode, err);
            }
            return err;
        } finally {
            fdLock.readLock().unlock();
        }
    }

    /** Remembers a mode the file system will never accept; other failures are for this call only. */
    private void failed(int mode, int errno) {
        boolean permanent = errno == EOPNOTSUPP || errno == ENOSYS || errno == ENODEV || errno == EINVAL
                || errno == EPERM;
        String what = mode == PUNCH ? "punching holes" : "zeroing ranges";
        if (!permanent) {
            LOG.debug("{}: fallocate for {} failed with errno {}; falling back this time", path, what, errno);
            return;
        }
        if (mode == PUNCH) {
            punchWorks = false;
        } else {
            zeroRangeWorks = false;
        }
        LOG.info("{}: {} is not supported here (errno {}); falling back", path, what, errno);
    }

    @Override
    public void close() {
        fdLock.writeLock().lock();
        try {
            if (fd >= 0) {
                Libc.INSTANCE.close(fd);
                fd = -1;
            }
        } finally {
            fdLock.writeLock().unlock();
        }
        punchWorks = false;
        zeroRangeWorks = false;
    }

    /** The three libc calls, bound once per JVM; null when native calls are not possible. */
    private static final class Libc {
        private static final int O_WRONLY = 0x1;
        private static final int O_CLOEXEC = 0x80000;

        static final Libc INSTANCE = load();

        private final MethodHandle open;
        private final MethodHandle fallocate;
        private final MethodHandle close;
        private final VarHandle errno;
        /**
         * errno capture buffers, reused. Not thread-local: the NBD frontend calls the device from a
         * new virtual thread per request, so a per-thread buffer would be a new native segment
         * (and a Cleaner) per TRIM. A bounded queue takes and returns without allocating.
         */
        private final ArrayBlockingQueue<MemorySegment> captures = new ArrayBlockingQueue<>(64);
        private final StructLayout layout;

        private Libc(MethodHandle open, MethodHandle fallocate, MethodHandle close, VarHandle errno,
                StructLayout layout) {
            this.open = open;
            this.fallocate = fallocate;
            this.close = close;
            this.errno = errno;
            this.layout = layout;
        }

        private MemorySegment takeCapture() {
            MemorySegment state = captures.poll();
            return state != null ? state : Arena.ofAuto().allocate(layout);
        }

        private void giveBack(MemorySegment state) {
            captures.offer(state); // dropped when 64 are pooled already; the GC frees it then
        }

        private static Libc load() {
            try {
                if (!HolePuncher.class.getModule().isNativeAccessEnabled()) {
                    LOG.warn("native access is not enabled (run java with --enable-native-access=ALL-UNNAMED):"
                            + " discard keeps data and write-zeroes writes zeroes");
                    return null;
                }
                return bind(Linker.nativeLinker());
            } catch (RuntimeException | LinkageError e) {
                LOG.warn("fallocate is not callable ({}): discard keeps data and write-zeroes writes zeroes",
                        e.toString());
                return null;
            }
        }

        private static Libc bind(Linker linker) {
            SymbolLookup lookup = linker.defaultLookup();
            StructLayout layout = Linker.Option.captureStateLayout();
            Linker.Option errno = Linker.Option.captureCallState("errno");
            // open(2) is variadic: the mode argument is passed (as 0) in the variadic position.
            MethodHandle open = linker.downcallHandle(lookup.findOrThrow("open"),
                    FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT),
                    errno, Linker.Option.firstVariadicArg(2));
            MethodHandle fallocate = linker.downcallHandle(lookup.findOrThrow("fallocate"),
                    FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_LONG), errno);
            MethodHandle close = linker.downcallHandle(lookup.findOrThrow("close"),
                    FunctionDescriptor.of(JAVA_INT, JAVA_INT));
            VarHandle errnoHandle = layout.varHandle(MemoryLayout.PathElement.groupElement("errno"));
            return new Libc(open, fallocate, close, errnoHandle, layout);
        }

        /** Opens {@code path} write-only; -1 (logged) if it cannot be. */
        int openWriteOnly(Path path) {
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment cpath = arena.allocateFrom(path.toString());
                MemorySegment state = arena.allocate(layout);
                int fd = (int) open.invokeExact(state, cpath, O_WRONLY | O_CLOEXEC, 0);
                if (fd < 0) {
                    LOG.warn("{}: cannot open for fallocate (errno {}): discard keeps data", path,
                            (int) errno.get(state, 0L));
                }
                return fd;
            } catch (Throwable t) {
                LOG.warn("{}: cannot open for fallocate ({}): discard keeps data", path, t.toString());
                return -1;
            }
        }

        /** fallocate(2); 0 on success, else errno. */
        int fallocate(int fd, int mode, long offset, long length) {
            MemorySegment state = takeCapture();
            try {
                int r = (int) fallocate.invokeExact(state, fd, mode, offset, length);
                return r == 0 ? 0 : (int) errno.get(state, 0L);
            } catch (Throwable t) {
                // Not expected from a bound downcall; treat the mode as unusable rather than fail I/O.
                LOG.warn("fallocate downcall failed: {}", t.toString());
                return ENOSYS;
            } finally {
                giveBack(state);
            }
        }

        void close(int fd) {
            try {
                int r = (int) close.invokeExact(fd);
                if (r != 0) {
                    LOG.debug("close of fallocate descriptor {} failed", fd);
                }
            } catch (Throwable t) {
                LOG.debug("close of fallocate descriptor failed: {}", t.toString());
            }
        }
    }
}
