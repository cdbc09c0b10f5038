package io.tiercache.core.control;

import io.tiercache.core.dm.DeviceInfo;
import io.tiercache.core.dm.TargetType;
import java.util.List;
import java.util.Map;

/** dmsetup's output formats, so that scripts written against dmsetup read ours unchanged. */
final class ControlOutput {
    static final String NO_DEVICES = "No devices found\n";

    private ControlOutput() {}

    /**
     * Table or status lines of one device. With a prefix (listing every device) each line starts
     * with {@code NAME: }. A device without the requested table still gets one (empty) line, as
     * dmsetup's loop prints the prefix and the newline even when there is no target.
     */
    static void lines(StringBuilder sb, String prefix, List<String> lines) {
        if (lines.isEmpty()) {
            sb.append(prefix).append('\n');
            return;
        }
        for (String line : lines) {
            sb.append(prefix).append(line).append('\n');
        }
    }

    /**
     * {@code dmsetup info}'s long form: values start at column 20, and each device's block ends
     * with an empty line. Read ahead and major/minor are left out: there is no kernel device.
     */
    static void info(StringBuilder sb, DeviceInfo info) {
        field(sb, "Name:", info.name());
        field(sb, "State:", info.suspended() ? "SUSPENDED" : "ACTIVE");
        field(sb, "Tables present:", info.tablesPresent());
        field(sb, "Open count:", Integer.toString(info.openCount()));
        field(sb, "Event number:", Long.toString(info.eventNr()));
        field(sb, "Number of targets:", Integer.toString(info.targets()));
        sb.append('\n');
    }

    private static void field(StringBuilder sb, String label, String value) {
        sb.append(label).append(" ".repeat(19 - label.length())).append(value).append('\n');
    }

    /** {@code dmsetup targets}: {@code %-16s v%d.%d.%d}, sorted by name. */
    static String targets(Map<String, TargetType> types) {
        StringBuilder sb = new StringBuilder();
        types.forEach((name, type) -> {
            int[] v = type.version();
            sb.append(String.format("%-16s v%d.%d.%d", name, v[0], v[1], v[2])).append('\n');
        });
        return sb.toString();
    }

    /** A target's message reply, newline-terminated as dmsetup prints it; nothing if empty. */
    static String reply(String reply) {
        if (reply == null || reply.isEmpty()) {
            return "";
        }
        return reply.endsWith("\n") ? reply : reply + "\n";
    }
}
