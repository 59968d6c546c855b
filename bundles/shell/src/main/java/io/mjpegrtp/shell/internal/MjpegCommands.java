package io.mjpegrtp.shell.internal;

import io.mjpegrtp.api.Availability;
import io.mjpegrtp.api.Camera;
import io.mjpegrtp.api.CameraCounters;
import io.mjpegrtp.api.CameraStatistics;
import io.mjpegrtp.api.CaptureBackend;
import io.mjpegrtp.api.StatsService;
import io.mjpegrtp.api.TransportFactory;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.felix.service.command.Descriptor;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

/** Gogo commands in scope {@code mjpeg}: what the cameras do, their statistics, and what is installed. */
@Component(service = MjpegCommands.class, property = {
        "osgi.command.scope=mjpeg",
        "osgi.command.function=cameras",
        "osgi.command.function=stats",
        "osgi.command.function=backends",
        "osgi.command.function=transports",
        "osgi.command.function=sdp",
        "osgi.command.function=start",
        "osgi.command.function=stop" })
public final class MjpegCommands {
    private final StatsService stats;
    private final List<Camera> cameras = new CopyOnWriteArrayList<>();
    private final Map<String, CaptureBackend> backends = new ConcurrentSkipListMap<>();
    private final Map<String, TransportFactory> transports = new ConcurrentSkipListMap<>();

    @Activate
    public MjpegCommands(@Reference StatsService stats) {
        this.stats = stats;
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void bindCamera(Camera camera) {
        cameras.add(camera);
    }

    void unbindCamera(Camera camera) {
        cameras.remove(camera);
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
    public String stats() {
        List<CameraStatistics> all = stats.all();
        if (all.isEmpty()) {
            return "no cameras";
        }
        Table t = new Table("CAMERA", "CAPTURED", "SENT", "DROPPED", "REJECTED", "PACKETS", "BYTES", "FPS", "KBIT/S",
                "SEND-ERRORS", "RESTARTS");
        for (CameraStatistics s : all) {
            CameraCounters.Snapshot c = s.totals();
            t.row(c.camera(), Long.toString(c.framesCaptured()), Long.toString(c.framesSent()),
                    Long.toString(c.framesDroppedQueueFull()), Long.toString(c.framesRejected()),
                    Long.toString(c.packetsSent()), Long.toString(c.bytesSent()),
                    String.format(Locale.ROOT, "%.1f", s.framesPerSecond()),
                    String.format(Locale.ROOT, "%.0f", s.bitsPerSecond() / 1000),
                    Long.toString(c.sendErrors()), Long.toString(c.restarts()));
        }
        return t.toString();
    }

    @Descriptor("show statistics of one camera")
    public String stats(@Descriptor("camera name") String camera) {
        CameraStatistics s = stats.statistics(camera).orElse(null);
        if (s == null) {
            return "no camera named '" + camera + "'";
        }
        CameraCounters.Snapshot c = s.totals();
        StringBuilder b = new StringBuilder();
        line(b, "camera", c.camera());
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
        if (c == null) {
            return "no camera named '" + camera + "'";
        }
        return c.sessionDescription().orElse(camera + " has no session description (not sending over RTP)");
    }

    @Descriptor("start a stopped camera")
    public String start(@Descriptor("camera name") String camera) {
        Camera c = find(camera);
        if (c == null) {
            return "no camera named '" + camera + "'";
        }
        c.start();
        return camera + ": starting";
    }

    @Descriptor("stop a camera until it is started again")
    public String stop(@Descriptor("camera name") String camera) {
        Camera c = find(camera);
        if (c == null) {
            return "no camera named '" + camera + "'";
        }
        c.stop();
        return camera + ": stopped";
    }

    private Camera find(String name) {
        return cameras.stream().filter(c -> c.name().equals(name)).findFirst().orElse(null);
    }

    private List<Camera> sortedCameras() {
        List<Camera> sorted = new ArrayList<>(cameras);
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

    private static void line(StringBuilder b, String key, Object value) {
        b.append(String.format(Locale.ROOT, "%-28s %s%n", key, value));
    }
}
