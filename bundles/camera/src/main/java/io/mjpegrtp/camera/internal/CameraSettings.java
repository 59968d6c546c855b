package io.mjpegrtp.camera.internal;

import io.mjpegrtp.api.CaptureRequest;
import io.mjpegrtp.api.Flip;
import io.mjpegrtp.api.TransportRequest;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * A camera's validated configuration. Values arrive as strings from files (fileinstall) or typed from
 * Configuration Admin clients; both are accepted. The first invalid key stops parsing with a message naming
 * the key, the value and what is accepted.
 */
record CameraSettings(String backend, String device, int width, int height, int framerate, int quality, Flip flip,
        String host, int port, int mtu, int dscp, String pacing, List<String> transports, boolean enabled,
        int multicastTtl, String multicastInterface, boolean multicastLoop) {

    /**
     * The backends of this release; {@code auto} picks the best one installed here ({@link AutoBackend}). Other
     * well-formed names are accepted too, because a plugin may bring a backend of its own; a camera naming a
     * backend that is not installed waits for it.
     */
    static final List<String> KNOWN_BACKENDS = List.of("testpattern", "file", "gst-test", "libcamera", "v4l2",
            "avfoundation", AutoBackend.NAME);
    static final int MIN_MTU = 256;
    static final int MAX_MTU = 65507;
    static final Set<String> KEYS = Set.of("backend", "device", "width", "height", "framerate", "quality", "flip",
            "destination", "mtu", "dscp", "pacing", "transports", "enabled", "name", "multicast_ttl",
            "multicast_interface", "multicast_loop");
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]*");
    /** An interface name (Linux allows up to 15 characters) or an IPv4/IPv6 address of one. */
    private static final Pattern INTERFACE = Pattern.compile("[A-Za-z0-9_.:%@-]{1,64}");

    static CameraSettings parse(Map<String, ?> props) throws InvalidSettingException {
        String backend = string(props, "backend", "testpattern").toLowerCase(Locale.ROOT);
        if (!NAME.matcher(backend).matches()) {
            throw new InvalidSettingException("backend", "backend '" + backend + "' is not a backend name; accepted: "
                    + String.join(" | ", KNOWN_BACKENDS) + ", or the name of a plugin's backend (a-z, 0-9, '-')");
        }
        String device = string(props, "device", "");
        int width = integer(props, "width", 1280, 16, 8192);
        int height = integer(props, "height", 720, 16, 8192);
        int framerate = integer(props, "framerate", 30, 1, 240);
        int quality = integer(props, "quality", 85, 1, 100);
        String flipName = string(props, "flip", "none").toLowerCase(Locale.ROOT);
        Flip flip = Flip.fromConfigName(flipName).orElseThrow(() -> new InvalidSettingException("flip",
                "flip '" + flipName + "' is unknown; accepted: " + Flip.accepted()));
        String destination = string(props, "destination", "127.0.0.1:5000");
        String[] hostPort = destination(destination);
        int port;
        try {
            port = Integer.parseInt(hostPort[1]);
        } catch (NumberFormatException e) {
            throw new InvalidSettingException("destination", "destination '" + destination
                    + "' has no valid port; accepted: host:port with port 1..65534 (RTCP uses port+1)");
        }
        if (port < 1 || port > 65534) {
            throw new InvalidSettingException("destination", "destination port " + port
                    + " is out of range; accepted: 1..65534 (RTCP uses port+1)");
        }
        int mtu = integer(props, "mtu", 1400, MIN_MTU, MAX_MTU);
        int dscp = integer(props, "dscp", 0, 0, 63);
        String pacing = string(props, "pacing", "auto").toLowerCase(Locale.ROOT);
        if (!pacing.equals("auto") && !pacing.equals("off")) {
            long kbps;
            try {
                kbps = Long.parseLong(pacing);
            } catch (NumberFormatException e) {
                kbps = -1;
            }
            if (kbps < 100 || kbps > 10_000_000) {
                throw new InvalidSettingException("pacing", "pacing '" + pacing
                        + "' is not valid; accepted: auto | off | a maximum rate in kbit/s, 100..10000000");
            }
        }
        List<String> transports = new ArrayList<>();
        for (String t : string(props, "transports", "udp").split(",")) {
            String name = t.trim().toLowerCase(Locale.ROOT);
            if (name.isEmpty()) {
                continue;
            }
            if (!NAME.matcher(name).matches()) {
                throw new InvalidSettingException("transports", "transport name '" + name
                        + "' is not valid; accepted: a comma-separated list of names such as udp");
            }
            if (!transports.contains(name)) {
                transports.add(name);
            }
        }
        if (transports.isEmpty()) {
            throw new InvalidSettingException("transports", "transports is empty; accepted: a comma-separated list of names such as udp");
        }
        String enabledText = string(props, "enabled", "true").toLowerCase(Locale.ROOT);
        if (!enabledText.equals("true") && !enabledText.equals("false")) {
            throw new InvalidSettingException("enabled", "enabled '" + enabledText + "' is not valid; accepted: true | false");
        }
        int multicastTtl = integer(props, "multicast_ttl", TransportRequest.DEFAULT_MULTICAST_TTL, 1, 255);
        // Whether the interface exists is the transport's business: it may appear later (a USB network adapter).
        String multicastInterface = string(props, "multicast_interface", "");
        if (!multicastInterface.isEmpty() && !INTERFACE.matcher(multicastInterface).matches()) {
            throw new InvalidSettingException("multicast_interface", "multicast_interface '" + multicastInterface
                    + "' is not valid; accepted: an interface name (eth0) or one of its addresses, or empty for the"
                    + " system's choice");
        }
        String loopText = string(props, "multicast_loop", "true").toLowerCase(Locale.ROOT);
        if (!loopText.equals("true") && !loopText.equals("false")) {
            throw new InvalidSettingException("multicast_loop", "multicast_loop '" + loopText
                    + "' is not valid; accepted: true | false");
        }
        return new CameraSettings(backend, device, width, height, framerate, quality, flip, hostPort[0], port, mtu,
                dscp, pacing, List.copyOf(transports), Boolean.parseBoolean(enabledText), multicastTtl,
                multicastInterface, Boolean.parseBoolean(loopText));
    }

    /** Keys a person probably mistyped: not ours and not framework bookkeeping (which all contain a dot). */
    static Set<String> unknownKeys(Map<String, ?> props) {
        Set<String> unknown = new TreeSet<>();
        for (String key : props.keySet()) {
            if (!key.contains(".") && !KEYS.contains(key)) {
                unknown.add(key);
            }
        }
        return unknown;
    }

    private static String[] destination(String value) throws InvalidSettingException {
        String host;
        String port;
        if (value.startsWith("[")) {
            int close = value.indexOf("]:");
            if (close < 0) {
                throw badDestination(value);
            }
            host = value.substring(1, close);
            port = value.substring(close + 2);
        } else {
            int colon = value.lastIndexOf(':');
            if (colon <= 0 || value.indexOf(':') != colon) {
                throw badDestination(value);
            }
            host = value.substring(0, colon);
            port = value.substring(colon + 1);
        }
        if (host.isBlank()) {
            throw badDestination(value);
        }
        return new String[] { host.trim(), port.trim() };
    }

    private static InvalidSettingException badDestination(String value) {
        return new InvalidSettingException("destination", "destination '" + value
                + "' is not valid; accepted: host:port (or [ipv6]:port), port 1..65534");
    }

    private static String string(Map<String, ?> props, String key, String fallback) {
        Object v = props.get(key);
        if (v == null) {
            return fallback;
        }
        String s = String.valueOf(v).trim();
        return s.isEmpty() && !key.equals("device") ? fallback : s;
    }

    private static int integer(Map<String, ?> props, String key, int fallback, int min, int max)
            throws InvalidSettingException {
        String s = string(props, key, Integer.toString(fallback));
        long value;
        try {
            value = Long.parseLong(s);
        } catch (NumberFormatException e) {
            throw new InvalidSettingException(key, key + " '" + s + "' is not a whole number; accepted: " + min + ".." + max);
        }
        if (value < min || value > max) {
            throw new InvalidSettingException(key, key + " " + value + " is out of range; accepted: " + min + ".." + max);
        }
        return (int) value;
    }

    /** Width and height as sent: rotations by 90 or 270 degrees swap them. */
    int sentWidth() {
        return flip.swapsDimensions() ? height : width;
    }

    int sentHeight() {
        return flip.swapsDimensions() ? width : height;
    }

    CaptureRequest captureRequest(String camera) {
        return new CaptureRequest(camera, device, width, height, framerate, quality, flip);
    }

    TransportRequest transportRequest(String camera, Path sdpDirectory) {
        return new TransportRequest(camera, host, port, mtu, dscp, pacing, framerate, sentWidth(), sentHeight(),
                sdpDirectory, multicastTtl, multicastInterface, multicastLoop);
    }
}
