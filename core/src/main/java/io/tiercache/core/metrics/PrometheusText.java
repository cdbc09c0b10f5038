package io.tiercache.core.metrics;

import io.tiercache.spi.metrics.MetricSink;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Collects samples and renders them in Prometheus' text exposition format 0.0.4: each family's
 * {@code # HELP} and {@code # TYPE} once, then its samples together, whatever order they were
 * reported in (devices report one after another, so families would otherwise interleave, which
 * the format forbids). One instance per scrape.
 */
public final class PrometheusText implements MetricSink {
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private static final Pattern METRIC_NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");

    private static final String[] HISTOGRAM_SUFFIXES = {"_bucket", "_sum", "_count"};

    private record Family(Kind kind, String help, List<String> lines) {}

    private final Map<String, Family> families = new LinkedHashMap<>();

    @Override
    public void sample(Kind kind, String name, String help, double value, String... labels) {
        if (!METRIC_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("bad metric name: " + name);
        }
        if (labels.length % 2 != 0) {
            throw new IllegalArgumentException(name + ": labels must come in name/value pairs");
        }
        boolean le = labels.length >= 2 && labels[labels.length - 2].equals("le");
        if (kind == Kind.HISTOGRAM && le != name.endsWith("_bucket")) {
            throw new IllegalArgumentException(name + ": only a histogram's _bucket samples take an le label");
        }
        StringBuilder line = new StringBuilder(name);
        if (labels.length > 0) {
            line.append('{');
            for (int i = 0; i < labels.length; i += 2) {
                if (!LABEL_NAME.matcher(labels[i]).matches() || labels[i].startsWith("__")) {
                    throw new IllegalArgumentException(name + ": bad label name: " + labels[i]);
                }
                line.append(i == 0 ? "" : ",").append(labels[i]).append("=\"");
                escape(line, labels[i + 1], true).append('"');
            }
            line.append('}');
        }
        // looked up last, so that a refused sample leaves no empty family behind
        String family = family(kind, name);
        Family f = families.get(family);
        if (f == null) {
            f = new Family(kind, help, new ArrayList<>());
            families.put(family, f);
        } else if (f.kind() != kind) {
            throw new IllegalArgumentException(name + " reported as both " + f.kind() + " and " + kind);
        }
        f.lines().add(line.append(' ').append(format(value)).toString());
    }

    /** A histogram's samples ({@code _bucket}, {@code _sum}, {@code _count}) belong to one family. */
    private static String family(Kind kind, String name) {
        if (kind != Kind.HISTOGRAM) {
            return name;
        }
        for (String suffix : HISTOGRAM_SUFFIXES) {
            if (name.endsWith(suffix)) {
                return name.substring(0, name.length() - suffix.length());
            }
        }
        throw new IllegalArgumentException(name + ": a histogram sample ends in _bucket, _sum or _count");
    }

    /** The exposition text, ending in a newline (empty if nothing was reported). */
    public String render() {
        StringBuilder sb = new StringBuilder(families.size() * 160);
        families.forEach((name, f) -> {
            sb.append("# HELP ").append(name).append(' ');
            escape(sb, f.help(), false).append('\n');
            sb.append("# TYPE ").append(name).append(' ').append(f.kind().name().toLowerCase(Locale.ROOT))
                    .append('\n');
            f.lines().forEach(l -> sb.append(l).append('\n'));
        });
        return sb.toString();
    }

    /** Label values escape backslash, double quote and newline; help texts backslash and newline. */
    private static StringBuilder escape(StringBuilder sb, String s, boolean quote) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '"' -> sb.append(quote ? "\\\"" : "\"");
                default -> sb.append(c);
            }
        }
        return sb;
    }

    static String format(double v) {
        if (Double.isNaN(v)) {
            return "NaN";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "+Inf" : "-Inf";
        }
        if (v == Math.rint(v) && Math.abs(v) < 0x1p53) {
            return Long.toString((long) v);
        }
        return Double.toString(v);
    }
}
