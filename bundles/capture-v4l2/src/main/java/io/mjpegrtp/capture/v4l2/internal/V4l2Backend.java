package io.mjpegrtp.capture.v4l2.internal;

import io.mjpegrtp.api.Availability;
import io.mjpegrtp.api.Capture;
import io.mjpegrtp.api.CaptureBackend;
import io.mjpegrtp.api.CaptureException;
import io.mjpegrtp.api.CaptureRequest;
import io.mjpegrtp.api.FrameSink;
import io.mjpegrtp.gstreamer.GStreamer;
import io.mjpegrtp.gstreamer.JpegEncoder;
import io.mjpegrtp.gstreamer.Pipelines;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A V4L2 camera ({@code /dev/videoN}: USB webcams, capture cards, a Raspberry Pi camera through its V4L2 driver)
 * through GStreamer's {@code v4l2src}. At start the device is asked what it offers; its MJPEG is passed through when
 * it has the size and rate asked for and no flip is wanted, otherwise raw video is encoded (see {@link V4l2Choice}).
 */
@Component(property = CaptureBackend.PROPERTY + "=" + V4l2Backend.NAME)
public final class V4l2Backend implements CaptureBackend {
    static final String NAME = "v4l2";
    private static final Logger LOG = LoggerFactory.getLogger(V4l2Backend.class);
    private static final Pattern VIDEO_NODE = Pattern.compile("video([0-9]+)");
    private static final Pattern NUMBER = Pattern.compile("[0-9]+");

    private final GStreamer gstreamer;
    private final Path devices;

    @Activate
    public V4l2Backend(@Reference GStreamer gstreamer) {
        this(gstreamer, Path.of("/dev"));
    }

    /** With the directory holding the {@code videoN} nodes given, for tests. */
    V4l2Backend(GStreamer gstreamer, Path devices) {
        this.gstreamer = gstreamer;
        this.devices = devices;
    }

    @Override
    public Availability availability() {
        Availability gst = gstreamer.availability();
        if (!gst.available()) {
            return gst; // "GStreamer not installed: ..."
        }
        if (!gstreamer.hasElement(V4l2Pipeline.SOURCE_ELEMENT)) {
            return Availability.no(V4l2Pipeline.SOURCE_ELEMENT + " element not installed");
        }
        List<Path> nodes = videoNodes();
        if (nodes.isEmpty()) {
            return Availability.no("no V4L2 device (" + devices.resolve("video") + "* does not exist)");
        }
        return Availability.yes(gst.reason() + ": " + names(nodes) + "; MJPEG passed through, raw video encoded by "
                + JpegEncoder.preferred(gstreamer).factoryName());
    }

    @Override
    public Capture start(CaptureRequest request, FrameSink sink) throws CaptureException {
        Pipelines.validate(NAME, request);
        Availability gst = gstreamer.availability();
        if (!gst.available()) {
            throw new CaptureException(NAME + ": " + gst.reason());
        }
        if (!gstreamer.hasElement(V4l2Pipeline.SOURCE_ELEMENT)) {
            throw new CaptureException(NAME + ": " + V4l2Pipeline.SOURCE_ELEMENT + " element not installed");
        }
        Path device = device(request.device());
        if (!Files.exists(device)) {
            List<Path> nodes = videoNodes();
            throw new CaptureException(NAME + ": device " + device + " does not exist; " + (nodes.isEmpty()
                    ? "there is no V4L2 device (" + devices.resolve("video") + "* does not exist)"
                    : "existing: " + names(nodes)));
        }
        String source = V4l2Pipeline.source(device.toString());
        // Opens the device for a moment; fails with GStreamer's reason when it is busy or not a capture device.
        List<String> offered = gstreamer.sourceCaps(source);
        V4l2Choice choice = V4l2Choice.choose(device.toString(), offered, request.width(), request.height(),
                request.framerate(), request.flip());
        JpegEncoder encoder = JpegEncoder.preferred(gstreamer);
        List<String> missing = gstreamer.missingElements(
                V4l2Pipeline.elements(choice, request.flip(), encoder).toArray(String[]::new));
        if (!missing.isEmpty()) {
            throw new CaptureException(NAME + ": " + choice.captured(request.width(), request.height()) + " from "
                    + device + " needs the " + String.join("/", missing) + " element, which is not installed");
        }
        LOG.info("{}: camera {}: {}", NAME, request.camera(),
                choice.explain(device.toString(), request.width(), request.height(), encoder));
        return gstreamer.start(request.camera(), V4l2Pipeline.describe(source, choice, request, encoder), sink);
    }

    /**
     * The device a camera names: empty means {@code /dev/video0}, a number N means {@code /dev/videoN}, and a path
     * ({@code /dev/video2}, {@code /dev/v4l/by-id/...}) is taken as it is.
     */
    Path device(String configured) throws CaptureException {
        String d = configured.strip();
        if (d.isEmpty()) {
            return devices.resolve("video0");
        }
        if (NUMBER.matcher(d).matches()) {
            return devices.resolve("video" + d.replaceFirst("^0+(?=.)", "")); // 00 -> video0
        }
        if (d.startsWith("/")) {
            return Path.of(d);
        }
        throw new CaptureException(NAME + ": device \"" + d + "\" is not supported; it must be a device path such as "
                + devices.resolve("video0") + " or its number (0)");
    }

    /** The {@code videoN} nodes, by number. */
    List<Path> videoNodes() {
        try (Stream<Path> entries = Files.list(devices)) {
            return entries.filter(p -> VIDEO_NODE.matcher(p.getFileName().toString()).matches())
                    .sorted(Comparator.comparingLong(V4l2Backend::nodeNumber)).toList();
        } catch (IOException | SecurityException e) {
            return List.of();
        }
    }

    private static long nodeNumber(Path node) {
        Matcher m = VIDEO_NODE.matcher(node.getFileName().toString());
        return m.matches() ? Long.parseLong(m.group(1)) : Long.MAX_VALUE;
    }

    private static String names(List<Path> nodes) {
        return String.join(", ", nodes.stream().map(Path::toString).toList());
    }
}
