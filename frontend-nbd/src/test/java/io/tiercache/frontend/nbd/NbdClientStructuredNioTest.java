package io.tiercache.frontend.nbd;

/** The same tests on the NIO transport. */
class NbdClientStructuredNioTest extends NbdClientStructuredTest {
    @Override
    protected String transport() {
        return "nio";
    }
}
