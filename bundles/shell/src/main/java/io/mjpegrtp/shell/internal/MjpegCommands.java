package io.mjpegrtp.shell.internal;

import io.mjpegrtp.api.Availability;
import io.mjpegrtp.api.Camera;
import io.mjpegrtp.api.CameraCounters;
import io.mjpegrtp.api.CameraStatistics;
import io.mjpegrtp.api.LatencyHistogram;
import io.mjpegrtp.api.CaptureBackend;
import io.mjpegrtp.api.StatsService;
import io.mjpegrtp.api.TransportFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.function.Function;
import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.apache.felix.service.command.Process;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gogo commands in scope {@code mjpeg}: what the cameras do, their statistics, what is installed, and changes
 * to a camera's file ({@code set}, {@code backend}) that are checked with the camera's own rules first.
 * A refused command throws, so that a script running it through {@code bin/mjpeg-rtp cmd} sees a failure.
 */
@Component(service = MjpegCommands.class, property = {
        "osgi.command.scope=mjpeg",
        "osgi.command.function=cameras",
        "osgi.command.function=stats",
        "osgi.command.function=backends",
        "osgi.command.function=transports",
        "osgi.command.function=sdp",
        "osgi.command.function=start",
        "osgi.command.function=stop",
        "osgi.command.function=set",
        "osgi.command.function=backend" })
public final class MjpegCommands {
    private static final Logger LOG = LoggerFactory.getLogger("mjpeg.shell");
    private static final String FILE_PROPERTY = "felix.fileinstall.filename";
    private static final long WATCH_MILLIS = 1000;
    /** The backend setting that lets the camera pick; it is no service of its own. */
    private static final String AUTO = "auto";
    private final StatsService stats;
    /** Each camera with the file it was configured from (null when it was not configured from a file). */
    private final Map<Camera, String> cameras = new ConcurrentHashMap<>();
    private volatile Validator validator;

    /** The camera bundle's check of a camera file's values, and the keys a camera file may hold. */
    private record Validator(Function<Map<String, ?>, String> check, Set<String> keys) {
    }
    private final Map<String, CaptureBackend> backends = new ConcurrentSkipListMap<>();
    private final Map<String, TransportFactory> transports = new ConcurrentSkipListMap<>();

    @Activate
    public MjpegCommands(@Reference StatsService stats) {
        this.stats = stats;
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void bindCamera(Camera camera, Map<String, Object> props) {
        cameras.put(camera, fileOf(props));
    }

    void updatedCamera(Camera camera, Map<String, Object> props) {
        cameras.put(camera, fileOf(props));
    }

    void unbindCamera(Camera camera) {
        cameras.remove(camera);
    }

    private static String fileOf(Map<String, Object> props) {
        Object f = props.get(FILE_PROPERTY);
        return f == null ? "" : String.valueOf(f);
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, target = "(mjpeg.validator=camera-settings)")
    void bindValidator(Function<Map<String, ?>, String> check, Map<String, Object> props) {
        Object keys = props.get("mjpeg.camera.keys");
        Set<String> set = new java.util.LinkedHashSet<>(); // in the camera's order, for messages
        if (keys instanceof String[] a) {
            set.addAll(Arrays.asList(a));
        } else if (keys != null) {
            set.add(String.valueOf(keys));
        }
        validator = new Validator(check, java.util.Collections.unmodifiableSet(set));
    }

    void unbindValidator(Function<Map<String, ?>, String> check) {
        Validator v = validator;
        if (v != null && v.check() == check) {
            validator = null;
        }
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void bindBackend(CaptureBackend backend, Map<String, Object> props) {
        backends.put(String.valueOf(props.get(CaptureBackend.PROPERTY)), backend);
    }

    void unbindBackend(CaptureBackend backend, Map<String, Object> props) {
        backends.remove(String.valueOf(props.get(CaptureBackend.PROPERTY)), backend);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void bindTransport(TransportFactory factory, Map<String, Object> props) {
        transports.put(String.valueOf(props.get(TransportFactory.PROPERTY)), factory);
    }

    void unbindTransport(TransportFactory factory, Map<String, Object> props) {
        transports.remove(String.valueOf(props.get(TransportFactory.PROPERTY)), factory);
    }

    @Descriptor("list cameras: name, backend, state, size, frame rate, destination")
    public String cameras() {
        List<Camera> sorted = sortedCameras();
        if (sorted.isEmpty()) {
            return "no cameras configured (add config/mjpeg.camera-<name>.cfg)";
        }
        Table t = new Table("CAMERA", "BACKEND", "STATE", "SIZE", "FPS", "DESTINATION", "DETAIL");
        for (Camera c : sorted) {
            Camera.CameraStatus s = c.status();
            t.row(s.name(), s.backend(), s.state().label(), s.width() + "x" + s.height(),
                    Integer.toString(s.framerate()), String.join(",", s.destinations()), s.detail());
        }
        return t.toString();
    }

    @Descriptor("show statistics of every camera")
    public String stats(CommandSession session,
            @Descriptor("refresh every second until a key (Enter) is pressed")
            @Parameter(names = { "-w", "--watch" }, presentValue = "true", absentValue = "false") boolean watch)
            throws IOException {
        return watch ? watch(session, this::statsTable) : statsTable();
    }

    @Descriptor("show statistics of one camera")
    public String stats(CommandSession session,
            @Descriptor("refresh every second until a key (Enter) is pressed")
            @Parameter(names = { "-w", "--watch" }, presentValue = "true", absentValue = "false") boolean watch,
            @Descriptor("camera name") String camera) throws IOException {
        if (stats.statistics(camera).isEmpty()) {
            throw new IllegalArgumentException("no camera named '" + camera + "'");
        }
        return watch ? watch(session, () -> cameraStats(camera)) : cameraStats(camera);
    }

    /**
     * Prints {@code view} every second, at the top of a cleared screen, until input arrives (Enter in a line-mode
     * terminal, any byte through the control socket) or the output goes away. The input that ended it is consumed.
     */
    private static String watch(CommandSession session, java.util.function.Supplier<String> view) throws IOException {
        // The session's own input (a terminal, or the control socket's): a job's in() is a channel stream whose
        // available() is always 0.
        InputStream in = session.getKeyboard();
        Process process = Process.Utils.current();
        PrintStream out = process != null ? process.out() : session.getConsole();
        while (true) {
            out.print("\033[H\033[2J");
            out.print(view.get());
            out.println("(refreshing every second; press Enter to stop)");
            out.flush();
            if (out.checkError()) {
                return null;
            }
            long end = System.nanoTime() + WATCH_MILLIS * 1_000_000;
            while (System.nanoTime() < end) {
                if (in != null && in.available() > 0) {
                    in.read(new byte[Math.min(4096, in.available())]); // skip() cannot seek on a terminal
                    return null;
                }
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return null;
                }
            }
        }
    }

    private String statsTable() {
        List<CameraStatistics> all = stats.all();
        if (all.isEmpty()) {
            return "no cameras" + System.lineSeparator();
        }
        Table t = new Table("CAMERA", "STATE", "CAPTURED", "SENT", "DROPPED", "REJECTED", "PACKETS", "BYTES", "FPS", "KBIT/S",
                "SEND-ERRORS", "RESTARTS", "LOSS", "JITTER-MS", "RTT-MS");
        for (CameraStatistics s : all) {
            CameraCounters.Snapshot c = s.totals();
            boolean rr = c.reportsReceived() > 0; // RTCP columns: "-" until a receiver report arrived
            t.row(c.camera(), stateOf(c.camera()), Long.toString(c.framesCaptured()), Long.toString(c.framesSent()),
                    Long.toString(c.framesDroppedQueueFull()), Long.toString(c.framesRejected()),
                    Long.toString(c.packetsSent()), Long.toString(c.bytesSent()),
                    String.format(Locale.ROOT, "%.1f", s.framesPerSecond()),
                    String.format(Locale.ROOT, "%.0f", s.bitsPerSecond() / 1000),
                    Long.toString(c.sendErrors()), Long.toString(c.restarts()),
                    rr ? String.format(Locale.ROOT, "%.1f%%", c.fractionLost() * 100.0 / 256) : "-",
                    rr ? String.format(Locale.ROOT, "%.1f", c.jitterMicros() / 1000.0) : "-",
                    rr && c.roundTripMicros() >= 0 ? String.format(Locale.ROOT, "%.1f", c.roundTripMicros() / 1000.0)
                            : "-");
        }
        return t.toString();
    }

    /** The camera's state, "-" when it has statistics but no camera service (it is going away). */
    private String stateOf(String camera) {
        return named(camera).map(c -> c.status().state().label()).orElse("-");
    }

    private String cameraStats(String camera) {
        CameraStatistics s = stats.statistics(camera).orElse(null);
        if (s == null) {
            return "no camera named '" + camera + "'" + System.lineSeparator();
        }
        CameraCounters.Snapshot c = s.totals();
        StringBuilder b = new StringBuilder();
        line(b, "camera", c.camera());
        named(camera).map(Camera::status).ifPresent(st -> {
            line(b, "backend", st.backend());
            line(b, "state", st.state().label() + (st.detail().isEmpty() ? "" : ": " + st.detail()));
        });
        line(b, "frames captured", c.framesCaptured());
        line(b, "frames sent", c.framesSent());
        line(b, "frames dropped (queue full)", c.framesDroppedQueueFull());
        line(b, "frames rejected", c.framesRejected());
        if (!c.lastRejection().isEmpty()) {
            line(b, "last rejection", c.lastRejection());
        }
        line(b, "packets sent", c.packetsSent());
        line(b, "bytes sent", c.bytesSent());
        line(b, "frames/s", String.format(Locale.ROOT, "%.1f", s.framesPerSecond()));
        line(b, "kbit/s", String.format(Locale.ROOT, "%.0f", s.bitsPerSecond() / 1000));
        line(b, "send errors", c.sendErrors());
        line(b, "restarts", c.restarts());
        latency(b, "capture to last packet", s.recentCaptureToSent());
        latency(b, "in the runtime", s.recentHandOverToSent());
        rtcp(b, c);
        return b.toString();
    }

    @Descriptor("list installed capture backends and whether they can run here")
    public String backends() {
        return availabilityTable("BACKEND", backends.entrySet().stream()
                .map(e -> Map.entry(e.getKey(), safe(() -> e.getValue().availability()))).toList());
    }

    @Descriptor("list installed transports and whether they can run here")
    public String transports() {
        return availabilityTable("TRANSPORT", transports.entrySet().stream()
                .map(e -> Map.entry(e.getKey(), safe(() -> e.getValue().availability()))).toList());
    }

    @Descriptor("print the SDP session description of a camera (for ffplay, VLC)")
    public String sdp(@Descriptor("camera name") String camera) {
        Camera c = find(camera);
        return c.sessionDescription().orElse(camera + " has no session description (not sending over RTP)");
    }

    @Descriptor("start a stopped camera")
    public String start(@Descriptor("camera name") String camera) {
        Camera c = find(camera);
        c.start();
        return camera + ": starting";
    }

    @Descriptor("stop a camera until it is started again")
    public String stop(@Descriptor("camera name") String camera) {
        Camera c = find(camera);
        c.stop();
        return camera + ": stopped";
    }

    @Descriptor("change one key of a camera's file, e.g. 'mjpeg:set cam0 dscp 46': checked with the camera's rules, "
            + "then written to the file (other lines and comments kept); the camera follows within a second")
    public String set(@Descriptor("camera name") String camera,
            @Descriptor("key of the camera file: backend, device, width, height, framerate, quality, flip, "
                    + "destination, mtu, dscp, pacing, transports, enabled, ...") String key,
            @Descriptor("new value") String value) throws IOException {
        return change(find(camera), key.trim().toLowerCase(Locale.ROOT), value.trim());
    }

    @Descriptor("switch a camera to another capture backend (persisted to its file), e.g. 'mjpeg:backend cam0 v4l2'")
    public String backend(@Descriptor("camera name") String camera,
            @Descriptor("backend: testpattern, file, gst-test, libcamera, v4l2, avfoundation, or auto (the best "
                    + "one installed that can run here)") String name)
            throws IOException {
        String backend = name.trim().toLowerCase(Locale.ROOT);
        String result = change(find(camera), "backend", backend);
        if (backend.equals(AUTO)) {
            return result + System.lineSeparator() + camera + ": backend auto picks libcamera, else v4l2, else "
                    + "avfoundation, whichever is installed and can run here first, else testpattern; "
                    + "mjpeg:cameras shows the pick";
        }
        CaptureBackend installed = backends.get(backend);
        if (installed == null) {
            return result + System.lineSeparator() + camera + ": backend " + backend
                    + " is not installed; the camera waits for it (drop its bundle into plugins/)";
        }
        Availability a = safe(installed::availability);
        return a.available() ? result
                : result + System.lineSeparator() + camera + ": backend " + backend + " cannot run here: " + a.reason();
    }

    /** Checks the file with the new value as the camera would, then writes it; the file is untouched on refusal. */
    private String change(Camera camera, String key, String value) throws IOException {
        String name = camera.name();
        Validator v = validator;
        if (v == null) {
            throw new IllegalStateException(name + ": not changed: the camera bundle is not running, so the value "
                    + "cannot be checked");
        }
        if (key.equals("name")) {
            throw new IllegalArgumentException(name + ": not changed: a camera's name is its file name "
                    + "(mjpeg.camera-<name>.cfg); rename the file instead");
        }
        if (!v.keys().contains(key)) {
            throw new IllegalArgumentException(name + ": not changed: unknown key '" + key + "'; keys: "
                    + String.join(", ", v.keys()));
        }
        if (value.chars().anyMatch(ch -> ch == '\n' || ch == '\r')) {
            throw new IllegalArgumentException(name + ": not changed: a value is one line");
        }
        Path file = file(camera);
        String text = Files.readString(file, StandardCharsets.ISO_8859_1);
        Map<String, String> values = CameraFile.read(text);
        values.put(key, value);
        String refusal = v.check().apply(values);
        if (refusal != null) {
            throw new IllegalArgumentException(name + ": not changed: " + refusal);
        }
        String changed = CameraFile.set(text, key, value);
        if (changed.equals(text)) {
            return name + ": " + key + " is already " + value;
        }
        CameraFile.write(file, changed);
        LOG.info("{}: {} set to '{}' in {} (shell)", name, key, value, file);
        return name + ": " + key + " = " + value + " written to " + file + "; the camera follows within a second";
    }

    private Path file(Camera camera) {
        String f = cameras.getOrDefault(camera, "");
        if (f.isEmpty()) {
            throw new IllegalArgumentException(camera.name() + ": not changed: it is not configured from a file");
        }
        Path path;
        try {
            path = f.startsWith("file:") ? Paths.get(URI.create(f)) : Paths.get(f);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(camera.name() + ": not changed: cannot read its file name " + f);
        }
        if (!path.getFileName().toString().endsWith(".cfg")) {
            throw new IllegalArgumentException(camera.name() + ": not changed: " + path
                    + " is not a .cfg file; edit it by hand");
        }
        return path;
    }

    private Camera find(String name) {
        return named(name).orElseThrow(() -> new IllegalArgumentException("no camera named '" + name + "'"));
    }

    private java.util.Optional<Camera> named(String name) {
        return cameras.keySet().stream().filter(c -> c.name().equals(name)).findFirst();
    }

    private List<Camera> sortedCameras() {
        List<Camera> sorted = new ArrayList<>(cameras.keySet());
        sorted.sort(Comparator.comparing(Camera::name));
        return sorted;
    }

    private static String availabilityTable(String heading, List<Map.Entry<String, Availability>> entries) {
        if (entries.isEmpty()) {
            return "none installed";
        }
        Table t = new Table(heading, "AVAILABLE", "NOTE");
        for (Map.Entry<String, Availability> e : entries) {
            t.row(e.getKey(), e.getValue().available() ? "yes" : "no", e.getValue().reason());
        }
        return t.toString();
    }

    private static Availability safe(java.util.function.Supplier<Availability> s) {
        try {
            return s.get();
        } catch (RuntimeException e) {
            return Availability.no("availability check failed: " + e);
        }
    }

    /**
     * p50/p99/max of a latency over the last seconds: from capture (the source's timestamp) or from hand-over by the
     * backend, to the frame's last packet.
     */
    private static void latency(StringBuilder b, String what, LatencyHistogram.Snapshot h) {
        String key = what + " (last " + CameraStatistics.LATENCY_WINDOW_SECONDS + " s)";
        if (h.count() == 0) {
            line(b, key, "no frames sent");
            return;
        }
        line(b, key, String.format(Locale.ROOT, "p50 %s, p99 %s, max since start %s (%d frames)",
                millis(h.percentileMicros(50)), millis(h.percentileMicros(99)), millis(h.maxMicros()), h.count()));
    }

    private static String millis(long micros) {
        return micros == Long.MAX_VALUE ? "> 1 s" : String.format(Locale.ROOT, "%.2f ms", micros / 1000.0);
    }

    /** What the receivers say in their RTCP receiver reports, once one has arrived. */
    private static void rtcp(StringBuilder b, CameraCounters.Snapshot c) {
        if (c.reportsReceived() == 0) {
            line(b, "receiver reports (RTCP)", "none yet");
            return;
        }
        line(b, "receiver reports (RTCP)", c.reportsReceived());
        line(b, "loss (last report)", String.format(Locale.ROOT, "%.1f %%", c.fractionLost() * 100.0 / 256));
        line(b, "packets lost (cumulative)", c.cumulativeLost());
        line(b, "jitter", String.format(Locale.ROOT, "%.2f ms", c.jitterMicros() / 1000.0));
        line(b, "round-trip time", c.roundTripMicros() < 0 ? "unknown (no receiver has seen a sender report yet)"
                : String.format(Locale.ROOT, "%.2f ms", c.roundTripMicros() / 1000.0));
    }

    private static void line(StringBuilder b, String key, Object value) {
        b.append(String.format(Locale.ROOT, "%-28s %s%n", key, value));
    }
}
