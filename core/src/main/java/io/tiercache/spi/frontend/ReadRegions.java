package io.tiercache.spi.frontend;

import java.util.List;

/**
 * The files a range of an export reads from, handed out by {@link Export#mapForRead} for a
 * zero-copy transfer. While it is open the export guarantees that the spans keep holding the
 * range's data and that their channels stay open: a device keeps the request counted as in flight
 * (so a suspend waits for it and a table reload cannot close the files), and a cache would pin the
 * blocks it points into. Close it as soon as the bytes have been sent; exactly once.
 */
public interface ReadRegions extends AutoCloseable {
    /** The spans, in order, covering the range exactly. */
    List<FileSpan> spans();

    /** Releases what the export holds for the transfer. */
    @Override
    void close();
}
