package io.mjpegrtp.metrics.internal;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Prometheus text exposition format 0.0.4: each metric family once, with its HELP and TYPE lines, then its samples.
 * Families are written in the order they are first used; samples of one family stay together.
 */
final class Exposition {
    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final Map<String, Family> families = new LinkedHashMap<>();

    private static final class Family {
        final String help;
        final String type;
        final StringBuilder samples = new StringBuilder();

        Family(String help, String type) {
            this.help = help;
            this.type = type;
        }
    }

    Exposition counter(String name, String help, double value, String... labels) {
        return sample(name, "counter", help, value, labels);
    }

    Exposition gauge(String name, String help, double value, String... labels) {
        return sample(name, "gauge", help, value, labels);
    }

    /** {@code labels} alternate names and values: {@code "camera", "cam0", "reason", "queue_full"}. */
    private Exposition sample(String name, String type, String help, double value, String... labels) {
        Family f = families.computeIfAbsent(name, n -> new Family(help, type));
        StringBuilder b = f.samples.append(name);
        if (labels.length > 0) {
            b.append('{');
            for (int i = 0; i + 1 < labels.length; i += 2) {
                if (i > 0) {
                    b.append(',');
                }
                b.append(labels[i]).append("=\"").append(escapeLabel(labels[i + 1])).append('"');
            }
            b.append('}');
        }
        b.append(' ').append(number(value)).append('\n');
        return this;
    }

    /** Declares a family that may have no samples (no cameras yet), so scrapers still learn its type. */
    Exposition declare(String name, String type, String help) {
        families.computeIfAbsent(name, n -> new Family(help, type));
        return this;
    }

    List<String> names() {
        return List.copyOf(families.keySet());
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder();
        for (Map.Entry<String, Family> e : families.entrySet()) {
            Family f = e.getValue();
            b.append("# HELP ").append(e.getKey()).append(' ').append(escapeHelp(f.help)).append('\n');
            b.append("# TYPE ").append(e.getKey()).append(' ').append(f.type).append('\n');
            b.append(f.samples);
        }
        return b.toString();
    }

    static String number(double v) {
        if (Double.isNaN(v)) {
            return "NaN";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "+Inf" : "-Inf";
        }
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        return Double.toString(v); // 12.5, 1.0E-4: Prometheus parses both (Go's ParseFloat)
    }

    static String escapeLabel(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }

    private static String escapeHelp(String s) {
        return s.replace("\\", "\\\\").replace("\n", "\\n");
    }
}
