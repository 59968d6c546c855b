package io.mjpegrtp.capture.v4l2.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * One caps structure a V4L2 device offers, as {@code v4l2src} prints it in READY state, reduced to what the choice
 * between passing MJPEG through and encoding needs: the media type, the pixel formats, and the sizes and frame rates
 * (single values, lists, or ranges for devices that describe themselves stepwise).
 *
 * @param mediaType {@code image/jpeg}, {@code video/x-raw}, or another type that is of no use here
 * @param formats GStreamer pixel format names ({@code YUY2}, {@code NV12}); empty when the structure names none
 */
record OfferedFormat(String mediaType, List<String> formats, Values width, Values height, Values framerate) {
    static final String JPEG = "image/jpeg";
    static final String RAW = "video/x-raw";

    /** A width, height or frame rate as a fraction; integers are n/1. */
    record Fraction(long numerator, long denominator) {
        double value() {
            return denominator == 0 ? 0 : (double) numerator / denominator;
        }

        /** For caps: {@code 30/1}, {@code 30000/1001}. */
        @Override
        public String toString() {
            return numerator + "/" + denominator;
        }

        /** For people: {@code 30}, {@code 29.97}, {@code 7.5}. */
        String readable() {
            if (denominator != 0 && numerator % denominator == 0) {
                return Long.toString(numerator / denominator);
            }
            return String.format(java.util.Locale.ROOT, "%.2f", value()).replaceFirst("0$", "");
        }

        static Fraction parse(String text) {
            String t = text.strip();
            int slash = t.indexOf('/');
            if (slash < 0) {
                return new Fraction(Long.parseLong(t), 1);
            }
            return new Fraction(Long.parseLong(t.substring(0, slash).strip()),
                    Long.parseLong(t.substring(slash + 1).strip()));
        }
    }

    /** The values a field allows. */
    sealed interface Values {
        /** Any value: the field is missing, so the device does not restrict it. */
        Values ANY = new Range(new Fraction(0, 1), new Fraction(Integer.MAX_VALUE, 1), 1);

        /** The allowed value nearest to {@code wanted} within {@code tolerance} (a fraction of it), if any. */
        Optional<Fraction> match(int wanted, double tolerance);

        /** For people: {@code 1280}, {@code 30,15}, {@code 16-4096}. */
        String readable();
    }

    record Discrete(List<Fraction> values) implements Values {
        @Override
        public Optional<Fraction> match(int wanted, double tolerance) {
            Fraction best = null;
            for (Fraction v : values) {
                double distance = Math.abs(v.value() - wanted);
                if (distance <= wanted * tolerance && (best == null || distance < Math.abs(best.value() - wanted))) {
                    best = v;
                }
            }
            return Optional.ofNullable(best);
        }

        @Override
        public String readable() {
            return values.stream().map(Fraction::readable).collect(Collectors.joining(","));
        }
    }

    /** An inclusive range; for integers with a step, the values min + k * step. */
    record Range(Fraction min, Fraction max, long step) implements Values {
        @Override
        public Optional<Fraction> match(int wanted, double tolerance) {
            if (wanted < min.value() || wanted > max.value()) {
                return Optional.empty();
            }
            if (step > 1 && min.denominator() == 1 && (wanted - min.numerator()) % step != 0) {
                return Optional.empty();
            }
            return Optional.of(new Fraction(wanted, 1));
        }

        @Override
        public String readable() {
            return min.readable() + "-" + max.readable();
        }
    }

    boolean isJpeg() {
        return mediaType.equals(JPEG);
    }

    boolean isRaw() {
        return mediaType.equals(RAW);
    }

    /** Whether it offers exactly this size. */
    boolean offersSize(int w, int h) {
        return width.match(w, 0).isPresent() && height.match(h, 0).isPresent();
    }

    /**
     * The offered frame rate for {@code fps}: the same value, or one within 0.5% (a driver may say 30000/1001 or
     * 10000000/333333 for 30). The caps must then name that exact fraction, or negotiation fails.
     */
    Optional<Fraction> rate(int fps) {
        return framerate.match(fps, 0.005);
    }

    /** The name people know a format by: MJPEG, YUYV (GStreamer's YUY2), NV12... */
    static String readableFormat(String mediaType, String format) {
        if (mediaType.equals(JPEG)) {
            return "MJPEG";
        }
        if (format == null) {
            return mediaType.equals(RAW) ? "raw video" : mediaType;
        }
        return format.equals("YUY2") ? "YUYV" : format;
    }

    /** For people, e.g. {@code MJPEG 1280x720@30,15} or {@code YUYV/NV12 16-4096x16-2160@1-60}. */
    String readable() {
        String format = isJpeg() || formats.isEmpty() ? readableFormat(mediaType, null)
                : formats.stream().map(f -> readableFormat(mediaType, f)).collect(Collectors.joining("/"));
        return format + " " + width.readable() + "x" + height.readable() + "@" + framerate.readable();
    }

    /**
     * Parses one structure such as {@code image/jpeg, width=(int)1280, height=(int)720,
     * framerate=(fraction){ 30/1, 15/1 }}; the types in parentheses are optional. Empty for a structure with caps
     * features ({@code video/x-raw(memory:DMABuf)}): the pipeline asks for system memory. Fields other than format,
     * width, height and framerate are ignored.
     *
     * @throws IllegalArgumentException when a field this needs cannot be read
     */
    static Optional<OfferedFormat> parse(String structure) {
        String s = structure.strip();
        if (s.endsWith(";")) {
            s = s.substring(0, s.length() - 1);
        }
        List<String> parts = splitTopLevel(s, ',');
        String mediaType = parts.get(0).strip();
        int features = mediaType.indexOf('(');
        if (features >= 0) {
            String feature = mediaType.substring(features + 1, mediaType.lastIndexOf(')')).strip();
            if (!feature.equals("memory:SystemMemory")) {
                return Optional.empty();
            }
            mediaType = mediaType.substring(0, features).strip();
        }
        List<String> formats = List.of();
        Values width = Values.ANY;
        Values height = Values.ANY;
        Values framerate = Values.ANY;
        for (String field : parts.subList(1, parts.size())) {
            int eq = field.indexOf('=');
            if (eq < 0) {
                continue;
            }
            String name = field.substring(0, eq).strip();
            String value = withoutType(field.substring(eq + 1).strip());
            try {
                switch (name) {
                    case "format" -> formats = items(value).stream().map(OfferedFormat::unquote).toList();
                    case "width" -> width = values(value);
                    case "height" -> height = values(value);
                    case "framerate" -> framerate = values(value);
                    default -> {
                        // colorimetry, pixel-aspect-ratio, interlace-mode...: no bearing on the choice
                    }
                }
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("cannot read " + name + " in \"" + structure + "\"", e);
            }
        }
        return Optional.of(new OfferedFormat(mediaType, formats, width, height, framerate));
    }

    /** {@code (int)1280} -> {@code 1280}. */
    private static String withoutType(String value) {
        if (value.startsWith("(")) {
            int close = value.indexOf(')');
            if (close > 0) {
                return value.substring(close + 1).strip();
            }
        }
        return value;
    }

    private static Values values(String value) {
        if (value.startsWith("[")) {
            List<String> bounds = items(value);
            long step = bounds.size() > 2 ? Long.parseLong(bounds.get(2).strip()) : 1;
            return new Range(Fraction.parse(bounds.get(0)), Fraction.parse(bounds.get(1)), step);
        }
        return new Discrete(items(value).stream().map(Fraction::parse).toList());
    }

    /** The items of {@code { a, b }}, {@code < a, b >} or {@code [ a, b ]}, or the one item of a single value. */
    private static List<String> items(String value) {
        String v = value.strip();
        if (v.startsWith("{") || v.startsWith("<") || v.startsWith("[")) {
            return splitTopLevel(v.substring(1, v.length() - 1), ',').stream().map(String::strip)
                    .filter(i -> !i.isEmpty()).toList();
        }
        return List.of(v);
    }

    private static String unquote(String s) {
        return s.length() >= 2 && s.startsWith("\"") && s.endsWith("\"") ? s.substring(1, s.length() - 1) : s;
    }

    /** Splits at {@code separator} outside brackets, braces, angle brackets and quotes. */
    static List<String> splitTopLevel(String s, char separator) {
        List<String> parts = new ArrayList<>();
        int depth = 0;
        boolean quoted = false;
        int start = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (quoted) {
                if (c == '\\') {
                    i++;
                } else if (c == '"') {
                    quoted = false;
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == '{' || c == '[' || c == '<' || c == '(') {
                depth++;
            } else if (c == '}' || c == ']' || c == '>' || c == ')') {
                depth--;
            } else if (c == separator && depth == 0) {
                parts.add(s.substring(start, i));
                start = i + 1;
            }
        }
        parts.add(s.substring(start));
        return parts;
    }
}
