package io.tiercache.core.dm.targets;

import io.tiercache.core.dm.Bio;
import io.tiercache.spi.block.BlockIo;
import java.io.IOException;

/** Issues a (remapped) bio to an underlying device: what {@code submit_bio} is for dm targets. */
public final class Bios {
    private Bios() {}

    /** Sends {@code bio} to {@code dev} at byte {@code offset}. */
    public static void submit(BlockIo dev, Bio bio, long offset) throws IOException {
        switch (bio.op()) {
            case READ -> dev.read(bio.data().duplicate(), offset);
            case WRITE -> dev.write(bio.data().duplicate(), offset, bio.flags());
            case FLUSH -> dev.flush();
            case DISCARD -> dev.discard(offset, bio.length());
            case WRITE_ZEROES -> dev.writeZeroes(offset, bio.length(), bio.flags());
        }
    }
}
