package io.tiercache.frontend.nbd;

/** The same tests on the NIO transport (the fallback where epoll is unavailable). */
class NbdConcurrencyNioTest extends NbdConcurrencyTest {
    @Override
    protected String transport() {
        return "nio";
    }
}
