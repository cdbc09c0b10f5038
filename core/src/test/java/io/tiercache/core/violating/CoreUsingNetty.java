package io.tiercache.core.violating;

/** A test fixture: core code that uses Netty (from test scope here). The architecture rules must reject it. */
public final class CoreUsingNetty {
    private final io.netty.buffer.ByteBuf buf;

    public CoreUsingNetty(io.netty.buffer.ByteBuf buf) {
        this.buf = buf;
    }

    public int size() {
        return buf.readableBytes();
    }
}
