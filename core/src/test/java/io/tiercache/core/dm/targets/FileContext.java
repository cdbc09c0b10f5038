package io.tiercache.core.dm.targets;

import io.tiercache.core.device.FileDevice;
import io.tiercache.core.dm.DmException;
import io.tiercache.core.dm.Target;
import io.tiercache.core.dm.TargetContext;
import io.tiercache.core.dm.TargetException;
import io.tiercache.core.dm.TargetType;
import io.tiercache.spi.block.BlockIo;
import io.tiercache.spi.block.Errno;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** A ctr context for tests: device arguments are paths of files, opened as {@link FileDevice}s. */
final class FileContext implements TargetContext, AutoCloseable {
    private final long lengthSectors;
    private final List<FileDevice> opened = new ArrayList<>();

    FileContext(long lengthSectors) {
        this.lengthSectors = lengthSectors;
    }

    /** Builds a target from a table-line argument string, split on blanks like the parser. */
    Target build(TargetType type, String args) throws TargetException, DmException {
        List<String> words = args.isBlank() ? List.of() : Arrays.asList(args.trim().split("\\s+"));
        return type.construct(this, words);
    }

    @Override
    public String deviceName() {
        return "test";
    }

    @Override
    public long start() {
        return 0;
    }

    @Override
    public long length() {
        return lengthSectors;
    }

    @Override
    public BlockIo getDevice(String arg, String lookupError) throws TargetException {
        Path p = Path.of(arg);
        if (!Files.isRegularFile(p)) {
            throw new TargetException(Errno.ENOENT, lookupError);
        }
        try {
            FileDevice dev = FileDevice.open(p);
            opened.add(dev);
            return dev;
        } catch (IOException e) {
            throw new TargetException(Errno.EIO, lookupError);
        }
    }

    @Override
    public void requireArea(String arg, BlockIo device, long offsetSectors, long lengthSectors)
            throws DmException {
        if (offsetSectors + lengthSectors > device.size() / 512) {
            throw new DmException(Errno.EINVAL, arg + " too small for target");
        }
    }

    @Override
    public void raiseEvent() {}

    @Override
    public void close() {
        opened.forEach(FileDevice::close);
    }

    /** A file of {@code size} bytes where byte i is {@code pattern(i)}. */
    static Path patterned(Path dir, String name, int size) throws IOException {
        byte[] b = new byte[size];
        for (int i = 0; i < size; i++) {
            b[i] = pattern(i);
        }
        return Files.write(dir.resolve(name), b);
    }

    /** Never 0, so zeroes are distinguishable from data. */
    static byte pattern(long i) {
        return (byte) (1 + i % 251);
    }

    /** Reads {@code len} bytes of a file at {@code offset}. */
    static byte[] fileBytes(Path file, int offset, int len) throws IOException {
        return Arrays.copyOfRange(Files.readAllBytes(file), offset, offset + len);
    }

    static ByteBuffer filled(int len, byte value) {
        byte[] b = new byte[len];
        Arrays.fill(b, value);
        return ByteBuffer.wrap(b);
    }
}
