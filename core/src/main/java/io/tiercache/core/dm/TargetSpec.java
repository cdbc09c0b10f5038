package io.tiercache.core.dm;

import java.util.List;

/**
 * One parsed table line: {@code <start> <length> <type> <args...>}, start and length in sectors.
 * The arguments are kept exactly as given, because {@code table} echoes them.
 */
public record TargetSpec(long start, long length, String type, List<String> args) {
    public TargetSpec {
        args = List.copyOf(args);
    }

    /** The line as {@code dmsetup table} prints it. */
    public String line() {
        StringBuilder sb = new StringBuilder().append(start).append(' ').append(length).append(' ').append(type);
        for (String a : args) {
            sb.append(' ').append(a.replace("\\", "\\\\").replace(" ", "\\ "));
        }
        return sb.toString();
    }
}
