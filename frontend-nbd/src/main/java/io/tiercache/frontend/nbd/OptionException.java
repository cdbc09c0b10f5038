package io.tiercache.frontend.nbd;

/**
 * An option that is answered with an error reply ({@code REP_ERR_*}) and a fixed message, thrown
 * while parsing its payload. The handshake goes on afterwards: the option was consumed whole.
 */
final class OptionException extends Exception {
    private final int replyType;

    OptionException(int replyType, String message) {
        super(message, null, false, false); // control flow, not a failure: no stack trace
        this.replyType = replyType;
    }

    int replyType() {
        return replyType;
    }
}
