package io.tiercache.frontend.nbd;

/** The same tests on the NIO transport (the fallback where epoll is unavailable). */
class NbdTransmissionNioTest extends NbdTransmissionTest {
    @Override
    protected String transport() {
        return "nio";
    }
}
