package io.mjpegrtp.launcher;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.tomlj.Toml;
import org.tomlj.TomlParseResult;
import org.tomlj.TomlTable;

/**
 * {@code bin/mjpeg-rtp import-toml config.toml [--to DIR] [--force]}: camera files equivalent to the
 * configuration of the earlier Go/Rust streamers, and a list of what could not be carried over.
 *
 * <p>The old file: {@code [mjpeg-rtp]} with {@code mtu}, {@code dscp} for every camera; per camera N a table
 * {@code [mjpeg-rtp.cameraN]} ({@code enabled}, {@code dest_host}, {@code dest_port}, {@code quality},
 * {@code ssrc}) and a table {@code [cameraN]} ({@code device}, {@code width}, {@code height}, {@code fps},
 * {@code flip_method}). Keys an old file leaves out get the old streamers' defaults (640x480 at 30 fps, quality
 * 85, MTU 1400, DSCP 0, ports 5000, 5002, ... to 127.0.0.1), written out, since this runtime's defaults differ.
 *
 * <p>The backend follows the device, as the old streamers chose their GStreamer source: {@code /dev/video*} is
 * V4L2, a number is an AVFoundation index (macOS), anything else (a libcamera camera name, or no device) is
 * libcamera, the Raspberry Pi camera stack.
 */
final class TomlImport {
    static final String USAGE = "usage: mjpeg-rtp import-toml FILE [--to DIR] [--force]   "
            + "(DIR: default <home>/config; --force replaces camera files that exist)";
    static final String GLOBAL = "mjpeg-rtp";
    static final Set<String> CAPTURE_KEYS = Set.of("device", "width", "height", "fps", "flip_method");
    static final Set<String> STREAM_KEYS = Set.of("enabled", "dest_host", "dest_port", "quality", "ssrc");
    static final Set<String> GLOBAL_KEYS = Set.of("mtu", "dscp");
    private static final Pattern CAMERA_NAME = Pattern.compile("[a-z0-9][a-z0-9_-]*");
    /** GStreamer videoflip's method names and numbers, as the old streamers passed them on. */
    private static final Map<String, String> FLIPS = Map.ofEntries(
            Map.entry("none", "none"), Map.entry("identity", "none"), Map.entry("0", "none"),
            Map.entry("rotate-90", "rotate-90"), Map.entry("clockwise", "rotate-90"), Map.entry("90r", "rotate-90"),
            Map.entry("1", "rotate-90"),
            Map.entry("rotate-180", "rotate-180"), Map.entry("180", "rotate-180"), Map.entry("2", "rotate-180"),
            Map.entry("rotate-270", "rotate-270"), Map.entry("counterclockwise", "rotate-270"),
            Map.entry("90l", "rotate-270"), Map.entry("3", "rotate-270"),
            Map.entry("horizontal-flip", "horizontal"), Map.entry("horiz", "horizontal"), Map.entry("4", "horizontal"),
            Map.entry("vertical-flip", "vertical"), Map.entry("vert", "vertical"), Map.entry("5", "vertical"));

    private TomlImport() {
    }

    /** One camera file to write: {@code mjpeg.camera-<name>.cfg}. */
    record CameraFile(String name, String text) {
        String fileName() {
            return "mjpeg.camera-" + name + ".cfg";
        }
    }

    /**
     * The result of converting one TOML file.
     *
     * @param cameras the camera files
     * @param unmapped what was not carried over, one line each, naming the table and key
     * @param notes choices made for the user (defaults filled in, the backend picked), one line each
     */
    record Result(List<CameraFile> cameras, List<String> unmapped, List<String> notes) {
    }

    static int run(Path home, String[] args) {
        Path source = null;
        Path to = home.resolve("config");
        boolean force = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--to" -> {
                    if (i + 1 >= args.length) {
                        System.err.println(USAGE);
                        return 2;
                    }
                    to = Paths.get(args[++i]);
                }
                case "--force" -> force = true;
                case "--help", "-h" -> {
                    System.out.println(USAGE);
                    return 0;
                }
                default -> {
                    if (source != null || args[i].startsWith("--")) {
                        System.err.println("mjpeg-rtp import-toml: unexpected '" + args[i] + "'");
                        System.err.println(USAGE);
                        return 2;
                    }
                    source = Paths.get(args[i]);
                }
            }
        }
        if (source == null) {
            System.err.println(USAGE);
            return 2;
        }
        Result result;
        try {
            result = convert(Files.readString(source, StandardCharsets.UTF_8), source.toString());
        } catch (IOException e) {
            System.err.println("mjpeg-rtp import-toml: cannot read " + source + ": " + e.getMessage());
            return 1;
        } catch (IllegalArgumentException e) {
            System.err.println("mjpeg-rtp import-toml: " + e.getMessage());
            return 1;
        }
        try {
            write(result, to.toAbsolutePath().normalize(), force);
        } catch (FileAlreadyExistsException e) {
            System.err.println("mjpeg-rtp import-toml: " + e.getFile()
                    + " exists; nothing was written (--force replaces it)");
            return 1;
        } catch (IOException e) {
            System.err.println("mjpeg-rtp import-toml: cannot write to " + to + ": " + e);
            return 1;
        }
        for (CameraFile c : result.cameras()) {
            System.out.println("wrote " + to.toAbsolutePath().normalize().resolve(c.fileName()));
        }
        for (String n : result.notes()) {
            System.out.println("note: " + n);
        }
        for (String u : result.unmapped()) {
            System.out.println("not mapped: " + u);
        }
        return 0;
    }

    /** Writes every file or, when one exists and {@code force} is not set, none; files are 0640 at most. */
    static void write(Result result, Path dir, boolean force) throws IOException {
        if (!force) {
            for (CameraFile c : result.cameras()) {
                if (Files.exists(dir.resolve(c.fileName()))) {
                    throw new FileAlreadyExistsException(dir.resolve(c.fileName()).toString());
                }
            }
        }
        Files.createDirectories(dir);
        boolean posix = Files.getFileAttributeView(dir, PosixFileAttributeView.class) != null;
        for (CameraFile c : result.cameras()) {
            // Written beside the target and moved, so a running runtime watching dir never reads half a file.
            Path tmp = dir.resolve("." + c.fileName() + ".import");
            Files.deleteIfExists(tmp);
            if (posix) {
                Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-r-----")));
            }
            Files.writeString(tmp, c.text(), StandardCharsets.ISO_8859_1);
            Files.move(tmp, dir.resolve(c.fileName()), StandardCopyOption.REPLACE_EXISTING,
                    StandardCopyOption.ATOMIC_MOVE);
        }
    }

    static Result convert(String toml, String sourceName) {
        TomlParseResult parsed = Toml.parse(toml);
        if (parsed.hasErrors()) {
            StringBuilder b = new StringBuilder(sourceName + " is not valid TOML:");
            parsed.errors().forEach(e -> b.append(System.lineSeparator()).append("  ").append(e.toString()));
            throw new IllegalArgumentException(b.toString());
        }
        List<String> unmapped = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        TomlTable global = null;
        Map<String, TomlTable> streams = new LinkedHashMap<>();
        Map<String, TomlTable> captures = new LinkedHashMap<>();
        for (String key : parsed.keySet()) {
            Object v = parsed.get(List.of(key));
            if (key.equals(GLOBAL) && v instanceof TomlTable t) {
                global = t;
            } else if (v instanceof TomlTable t) {
                captures.put(key, t);
            } else {
                unmapped.add(key + " = " + show(v) + " (top level): not a setting of the old streamers");
            }
        }
        Map<String, String> globalValues = new LinkedHashMap<>();
        if (global != null) {
            for (String key : global.keySet()) {
                Object v = global.get(List.of(key));
                if (v instanceof TomlTable t) {
                    streams.put(key, t);
                } else if (GLOBAL_KEYS.contains(key)) {
                    String n = whole(v);
                    if (n == null) {
                        unmapped.add("[" + GLOBAL + "] " + key + " = " + show(v) + ": not a whole number");
                    } else {
                        globalValues.put(key, n);
                    }
                } else {
                    unmapped.add("[" + GLOBAL + "] " + key + " = " + show(v) + ": unknown key");
                }
            }
        }
        // A top-level table is a camera when its name has a stream table or it holds capture keys.
        for (String name : new ArrayList<>(captures.keySet())) {
            if (!streams.containsKey(name) && captures.get(name).keySet().stream().noneMatch(CAPTURE_KEYS::contains)) {
                unmapped.add("[" + name + "]: not a camera (no capture keys, no [" + GLOBAL + "." + name + "])");
                captures.remove(name);
            }
        }
        TreeSet<String> names = new TreeSet<>(Comparator.comparing(TomlImport::naturalKey));
        names.addAll(captures.keySet());
        names.addAll(streams.keySet());
        if (names.isEmpty()) {
            throw new IllegalArgumentException(sourceName + " has no cameras: expected tables [cameraN] and ["
                    + GLOBAL + ".cameraN]");
        }
        List<CameraFile> files = new ArrayList<>();
        Set<String> used = new TreeSet<>();
        int index = 0;
        for (String name : names) {
            files.add(camera(name, index++, captures.get(name), streams.get(name), globalValues, sourceName, used,
                    unmapped, notes));
        }
        return new Result(files, unmapped, notes);
    }

    private static CameraFile camera(String table, int index, TomlTable capture, TomlTable stream,
            Map<String, String> global, String sourceName, Set<String> used, List<String> unmapped,
            List<String> notes) {
        String name = fileName(table);
        while (!used.add(name)) {
            name = name + "-" + index;
        }
        if (!name.equals(table)) {
            notes.add("[" + table + "]: camera named '" + name + "' (a camera name is lower-case letters, digits, "
                    + "'-' and '_')");
        }
        Map<String, String> out = new LinkedHashMap<>();
        List<String> fileNotes = new ArrayList<>();
        String captureTable = "[" + table + "]";
        String streamTable = "[" + GLOBAL + "." + table + "]";
        if (capture == null) {
            notes.add(name + ": no " + captureTable + " table: the old defaults (640x480, 30 fps, no device)");
        }
        if (stream == null) {
            notes.add(name + ": no " + streamTable + " table: the old defaults (enabled, quality 85)");
        }

        // capture
        Object device = capture == null ? null : capture.get(List.of("device"));
        String deviceText = device == null ? "" : device instanceof String s ? s.trim() : show(device);
        String backend;
        if (deviceText.startsWith("/dev/video")) {
            backend = "v4l2";
        } else if (deviceText.matches("\\d+")) {
            backend = "avfoundation";
            notes.add(name + ": device " + deviceText + " is a number: backend avfoundation (macOS camera index)");
        } else {
            backend = "libcamera";
            notes.add(name + ": backend libcamera (" + (deviceText.isEmpty() ? "no device: the first camera"
                    : "camera " + deviceText) + "); for a USB webcam use backend v4l2 with device /dev/videoN");
        }
        out.put("backend", backend);
        out.put("device", deviceText);
        out.put("width", integer(capture, captureTable, "width", "640", unmapped));
        out.put("height", integer(capture, captureTable, "height", "480", unmapped));
        out.put("framerate", integer(capture, captureTable, "fps", "30", unmapped));
        out.put("quality", integer(stream, streamTable, "quality", "85", unmapped));
        String flip = "none";
        Object method = capture == null ? null : capture.get(List.of("flip_method"));
        if (method != null) {
            String m = (method instanceof String s ? s : show(method)).trim().toLowerCase(Locale.ROOT);
            String mapped = FLIPS.get(m);
            if (mapped == null) {
                unmapped.add(captureTable + " flip_method = " + show(method) + ": not supported (accepted: "
                        + "vertical-flip, horizontal-flip, rotate-90, rotate-180, rotate-270, none); flip = none");
                fileNotes.add("flip_method = " + show(method) + " is not supported; flip = none");
            } else {
                flip = mapped;
            }
        }
        out.put("flip", flip);

        // stream
        Object hostValue = stream == null ? null : stream.get(List.of("dest_host"));
        String host = hostValue instanceof String s && !s.isBlank() ? s.trim() : "127.0.0.1";
        if (hostValue != null && !(hostValue instanceof String)) {
            unmapped.add(streamTable + " dest_host = " + show(hostValue) + ": not a host name or address; "
                    + "127.0.0.1 used");
        }
        String port = integer(stream, streamTable, "dest_port", Integer.toString(5000 + 2 * index), unmapped);
        out.put("destination", (host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host) + ":" + port);
        out.put("mtu", global.getOrDefault("mtu", "1400"));
        out.put("dscp", global.getOrDefault("dscp", "0"));
        out.put("pacing", "auto");
        out.put("transports", "udp");
        Object enabled = stream == null ? null : stream.get(List.of("enabled"));
        if (enabled != null && !(enabled instanceof Boolean)) {
            unmapped.add(streamTable + " enabled = " + show(enabled) + ": not true or false; enabled = true");
            enabled = null;
        }
        out.put("enabled", enabled == null ? "true" : enabled.toString());
        Object ssrc = stream == null ? null : stream.get(List.of("ssrc"));
        if (ssrc != null) {
            unmapped.add(streamTable + " ssrc = " + show(ssrc) + ": the SSRC is not configurable; it is random "
                    + "for each session (RFC 3550), so two streams never collide");
            fileNotes.add("ssrc = " + show(ssrc) + " is not used: the SSRC is random per session (RFC 3550)");
        }
        unknown(capture, captureTable, CAPTURE_KEYS, unmapped, fileNotes);
        unknown(stream, streamTable, STREAM_KEYS, unmapped, fileNotes);

        StringBuilder b = new StringBuilder();
        b.append("# Camera ").append(name).append(", imported from ").append(sourceName).append(" (")
                .append(captureTable).append(", ").append(streamTable).append(") by mjpeg-rtp import-toml.\n");
        b.append("# Keys and accepted values: see README.md.\n");
        for (Map.Entry<String, String> e : out.entrySet()) {
            b.append(String.format(Locale.ROOT, "%-11s = %s%n", e.getKey(), escape(e.getValue())));
        }
        for (String n : fileNotes) {
            b.append("# not mapped: ").append(n.replace('\n', ' ')).append('\n');
        }
        return new CameraFile(name, b.toString().replace(System.lineSeparator(), "\n"));
    }

    private static void unknown(TomlTable table, String tableName, Set<String> known, List<String> unmapped,
            List<String> fileNotes) {
        if (table == null) {
            return;
        }
        for (String key : table.keySet()) {
            if (!known.contains(key)) {
                Object v = table.get(List.of(key));
                unmapped.add(tableName + " " + key + " = " + show(v) + ": unknown key");
                fileNotes.add(tableName + " " + key + " = " + show(v) + ": unknown key");
            }
        }
    }

    private static String integer(TomlTable table, String tableName, String key, String fallback,
            List<String> unmapped) {
        Object v = table == null ? null : table.get(List.of(key));
        if (v == null) {
            return fallback;
        }
        String n = whole(v);
        if (n == null) {
            unmapped.add(tableName + " " + key + " = " + show(v) + ": not a whole number; " + fallback + " used");
            return fallback;
        }
        return n;
    }

    private static String whole(Object v) {
        if (v instanceof Long l) {
            return Long.toString(l);
        }
        if (v instanceof Double d && d == Math.rint(d) && !d.isInfinite()) {
            return Long.toString(d.longValue());
        }
        if (v instanceof String s && s.trim().matches("-?\\d+")) {
            return s.trim();
        }
        return null;
    }

    private static String show(Object v) {
        if (v instanceof String s) {
            return "\"" + s + "\"";
        }
        if (v instanceof TomlTable) {
            return "(a table)";
        }
        if (v instanceof org.tomlj.TomlArray a) {
            return a.toJson().replaceAll("\\s+", " ");
        }
        return String.valueOf(v);
    }

    /** A value in the properties syntax of a .cfg file. */
    static String escape(String value) {
        StringBuilder b = new StringBuilder();
        for (char c : value.toCharArray()) {
            if (c == '\\') {
                b.append("\\\\");
            } else if (c < 0x20 || c > 0x7e) {
                b.append(String.format("\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    private static String fileName(String table) {
        String n = table.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_-]", "-");
        if (!CAMERA_NAME.matcher(n).matches()) {
            n = "camera" + n.replaceAll("^[^a-z0-9]+", "-");
        }
        return n;
    }

    /** camera2 before camera10. */
    private static String naturalKey(String s) {
        Matcher m = Pattern.compile("\\d+").matcher(s);
        StringBuilder b = new StringBuilder();
        int last = 0;
        while (m.find()) {
            b.append(s, last, m.start()).append(String.format("%20s", m.group()).replace(' ', '0'));
            last = m.end();
        }
        return b.append(s.substring(last)).toString();
    }
}
