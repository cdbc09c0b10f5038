package io.tiercache.core.dm.targets;

import io.tiercache.core.dm.Bio;
import io.tiercache.core.dm.DmException;
import io.tiercache.core.dm.Target;
import io.tiercache.core.dm.TargetContext;
import io.tiercache.core.dm.TargetException;
import io.tiercache.core.dm.TargetType;
import io.tiercache.spi.block.BlockIo;
import io.tiercache.spi.block.BlockIoException;
import io.tiercache.spi.block.Errno;
import java.util.List;

/**
 * {@code error [<device> <offset>]}: every read, write, discard and write-zeroes fails with EIO.
 *
 * <p>Like the kernel's io-err target it accepts any argument list. Exactly two arguments are taken
 * as a backing device and start sector (as for {@code linear}); the device is only opened so the
 * table holds it, I/O never reaches it. Any other count is ignored.
 *
 * <p>Flushes succeed: the kernel's target asks for no flush bios, so dm core never sends it one and
 * a flush of a table mixing {@code linear} and {@code error} still reaches the linear part only.
 */
public final class ErrorTarget implements Target {
    private static final ErrorTarget INSTANCE = new ErrorTarget();

    private ErrorTarget() {}

    @Override
    public void map(Bio bio) throws BlockIoException {
        if (bio.op() == Bio.Op.FLUSH) {
            return;
        }
        throw new BlockIoException(Errno.EIO, "error target: " + bio.op() + " at " + bio.offset());
    }

    /** The registered type. */
    public static final class Type implements TargetType {
        @Override
        public String name() {
            return "error";
        }

        @Override
        public int[] version() {
            return new int[] {1, 7, 0};
        }

        @Override
        public Target construct(TargetContext ctx, List<String> args)
                throws TargetException, DmException {
            if (args.size() == 2) {
                // The sector is checked before the device is opened, as the kernel does.
                long offset = Args.sector(args.get(1), "Invalid device sector");
                BlockIo dev = ctx.getDevice(args.get(0), "Device lookup failed");
                // Too small is a table-level refusal, as the kernel's area check is.
                ctx.requireArea(args.get(0), dev, offset, ctx.length());
            }
            return INSTANCE;
        }
    }
}
