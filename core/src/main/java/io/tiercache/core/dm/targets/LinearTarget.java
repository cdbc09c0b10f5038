package io.tiercache.core.dm.targets;

import io.tiercache.core.dm.Bio;
import io.tiercache.core.dm.DmException;
import io.tiercache.core.dm.Target;
import io.tiercache.core.dm.TargetContext;
import io.tiercache.core.dm.TargetException;
import io.tiercache.core.dm.TargetType;
import io.tiercache.core.device.FileDevice;
import io.tiercache.spi.block.BlockIo;
import io.tiercache.spi.frontend.FileSpan;
import java.io.IOException;
import java.util.List;

/** {@code linear <device> <offset>}: maps the target onto a device starting at a sector offset. */
public final class LinearTarget implements Target {
    private final BlockIo dev;
    private final long startByte;

    private LinearTarget(BlockIo dev, long startByte) {
        this.dev = dev;
        this.startByte = startByte;
    }

    @Override
    public void map(Bio bio) throws IOException {
        Bios.submit(dev, bio, startByte + bio.offset());
    }

    /** A linear mapping onto a file is a plain offset into it (not onto another device: no hold on it). */
    @Override
    public FileSpan directAccess(long offset, long length) {
        return dev instanceof FileDevice f ? new FileSpan(f.channel(), startByte + offset, length) : null;
    }

    /** The registered type. */
    public static final class Type implements TargetType {
        @Override
        public String name() {
            return "linear";
        }

        @Override
        public int[] version() {
            return new int[] {1, 4, 0};
        }

        @Override
        public Target construct(TargetContext ctx, List<String> args) throws TargetException, DmException {
            if (args.size() != 2) {
                throw new TargetException("Invalid argument count");
            }
            long offset = Args.sector(args.get(1), "Invalid device sector");
            BlockIo dev = ctx.getDevice(args.get(0), "Device lookup failed");
            ctx.requireArea(args.get(0), dev, offset, ctx.length());
            return new LinearTarget(dev, offset * 512);
        }
    }
}
