package io.tiercache.frontend.nbd;

/**
 * Wire constants of the NBD protocol (fixed newstyle) and the limits this server enforces. Names
 * follow the protocol document without the {@code NBD_} prefix.
 */
final class NbdConstants {
    private NbdConstants() {}

    // Handshake magics.
    static final long NBDMAGIC = 0x4e42444d41474943L;
    static final long IHAVEOPT = 0x49484156454F5054L;
    static final long OPTION_REPLY_MAGIC = 0x3e889045565a9L;

    // Handshake flags (server) and client flags.
    static final int FLAG_FIXED_NEWSTYLE = 1;
    static final int FLAG_NO_ZEROES = 1 << 1;
    static final int SERVER_HANDSHAKE_FLAGS = FLAG_FIXED_NEWSTYLE | FLAG_NO_ZEROES;
    static final int CLIENT_FIXED_NEWSTYLE = 1;
    static final int CLIENT_NO_ZEROES = 1 << 1;

    // Options.
    static final int OPT_EXPORT_NAME = 1;
    static final int OPT_ABORT = 2;
    static final int OPT_LIST = 3;
    static final int OPT_STARTTLS = 5;
    static final int OPT_INFO = 6;
    static final int OPT_GO = 7;
    static final int OPT_STRUCTURED_REPLY = 8;
    static final int OPT_LIST_META_CONTEXT = 9;
    static final int OPT_SET_META_CONTEXT = 10;
    static final int OPT_EXTENDED_HEADERS = 11;

    // Option reply types.
    static final int REP_ACK = 1;
    static final int REP_SERVER = 2;
    static final int REP_INFO = 3;
    static final int REP_META_CONTEXT = 4;
    static final int REP_ERR = 1 << 31;
    static final int REP_ERR_UNSUP = REP_ERR | 1;
    static final int REP_ERR_POLICY = REP_ERR | 2;
    static final int REP_ERR_INVALID = REP_ERR | 3;
    static final int REP_ERR_TLS_REQD = REP_ERR | 5;
    static final int REP_ERR_UNKNOWN = REP_ERR | 6;
    static final int REP_ERR_SHUTDOWN = REP_ERR | 7;
    static final int REP_ERR_TOO_BIG = REP_ERR | 9;

    // Info types.
    static final int INFO_EXPORT = 0;
    static final int INFO_NAME = 1;
    static final int INFO_DESCRIPTION = 2;
    static final int INFO_BLOCK_SIZE = 3;

    // Transmission flags.
    static final int TFLAG_HAS_FLAGS = 1;
    static final int TFLAG_READ_ONLY = 1 << 1;
    static final int TFLAG_SEND_FLUSH = 1 << 2;
    static final int TFLAG_SEND_FUA = 1 << 3;
    static final int TFLAG_SEND_TRIM = 1 << 5;
    static final int TFLAG_SEND_WRITE_ZEROES = 1 << 6;
    static final int TFLAG_SEND_DF = 1 << 7;
    static final int TFLAG_CAN_MULTI_CONN = 1 << 8;
    static final int TFLAG_SEND_CACHE = 1 << 10;
    static final int TFLAG_SEND_FAST_ZERO = 1 << 11;

    // Requests and replies.
    static final int REQUEST_MAGIC = 0x25609513;
    static final int SIMPLE_REPLY_MAGIC = 0x67446698;
    static final int REQUEST_HEADER_LENGTH = 28;
    static final int SIMPLE_REPLY_LENGTH = 16;
    static final int STRUCTURED_REPLY_MAGIC = 0x668e33ef;
    static final int CHUNK_HEADER_LENGTH = 20;

    // Structured reply chunks: the DONE flag and the chunk types.
    static final int CHUNK_FLAG_DONE = 1;
    static final int CHUNK_NONE = 0;
    static final int CHUNK_OFFSET_DATA = 1;
    static final int CHUNK_OFFSET_HOLE = 2;
    static final int CHUNK_BLOCK_STATUS = 5;
    static final int CHUNK_ERROR = 32769;
    static final int CHUNK_ERROR_OFFSET = 32770;

    // Commands.
    static final int CMD_READ = 0;
    static final int CMD_WRITE = 1;
    static final int CMD_DISC = 2;
    static final int CMD_FLUSH = 3;
    static final int CMD_TRIM = 4;
    static final int CMD_CACHE = 5;
    static final int CMD_WRITE_ZEROES = 6;
    static final int CMD_BLOCK_STATUS = 7;

    // Command flags.
    static final int CMD_FLAG_FUA = 1;
    static final int CMD_FLAG_NO_HOLE = 1 << 1;
    static final int CMD_FLAG_DF = 1 << 2;
    static final int CMD_FLAG_REQ_ONE = 1 << 3;
    static final int CMD_FLAG_FAST_ZERO = 1 << 4;

    // Error values on the wire (Linux errno numbers, as the protocol fixes them).
    static final int EPERM = 1;
    static final int EIO = 5;
    static final int ENOMEM = 12;
    static final int EINVAL = 22;
    static final int ENOSPC = 28;
    static final int EOVERFLOW = 75;
    static final int ENOTSUP = 95;
    static final int ESHUTDOWN = 108;

    // Limits.
    /** Largest READ/WRITE payload; the protocol's default maximum, so no client exceeds it. */
    static final int MAX_PAYLOAD = 32 << 20;

    /** Preferred block size advertised in INFO_BLOCK_SIZE. */
    static final int PREFERRED_BLOCK = 4096;

    /** Options declaring more than this are a DoS attempt: disconnect (as nbdkit and qemu do). */
    static final long MAX_OPTION_LENGTH = 64L << 20;

    /**
     * Option payloads up to this size are buffered; larger ones are skipped without buffering,
     * since no option this server knows can legitimately be that long.
     */
    static final int MAX_BUFFERED_OPTION = 64 << 10;

    /** Strings (export names, descriptions) are at most this long per the protocol. */
    static final int MAX_STRING = 4096;

    /** Options per connection; generous, since clients probe with several before GO. */
    static final int MAX_OPTIONS = 128;

    /** Most extents in one BLOCK_STATUS chunk, as the protocol caps it. */
    static final int MAX_EXTENTS = 1 << 20;

    /** Meta context queries per LIST/SET option; each costs a reply, so cap what one option can ask. */
    static final int MAX_META_QUERIES = 1024;

    /** Shown in {@code REP_SERVER} and error replies; fixed texts, never exception messages. */
    static final String MSG_UNKNOWN_EXPORT = "no such export";
}
