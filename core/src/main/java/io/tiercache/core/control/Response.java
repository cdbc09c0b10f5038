package io.tiercache.core.control;

/**
 * What a control request produced, as a process would: an exit status and the text for stdout and
 * stderr. The CLI prints both and exits with the status, so output reads like dmsetup's.
 */
public record Response(int status, String out, String err) {
    /** Exit status of a command that failed (dmsetup's {@code Command failed}). */
    public static final int FAILED = 1;
    /** Exit status of a usage error, as picocli returns it. */
    public static final int USAGE = 2;

    public Response {
        out = out == null ? "" : out;
        err = err == null ? "" : err;
    }

    public static Response ok() {
        return new Response(0, "", "");
    }

    public static Response ok(String out) {
        return new Response(0, out, "");
    }

    /** A failure as dmsetup reports one: the error line(s), then {@code Command failed}. */
    public static Response failed(String error) {
        return new Response(FAILED, "", error + "\nCommand failed\n");
    }

    public static Response usage(String error, String synopsis) {
        return new Response(USAGE, "", error + "\nUsage: tiercache " + synopsis + "\n");
    }
}
