package io.tiercache.frontend.nbd;

/** The same tests on the NIO transport (the fallback where epoll is unavailable). */
class NbdClientToolsNioTest extends NbdClientToolsTest {
    @Override
    protected String transport() {
        return "nio";
    }
}
