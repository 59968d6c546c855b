package io.mjpegrtp.capture.avfoundation.internal;

import io.mjpegrtp.api.Availability;
import io.mjpegrtp.api.Capture;
import io.mjpegrtp.api.CaptureBackend;
import io.mjpegrtp.api.CaptureException;
import io.mjpegrtp.api.CaptureRequest;
import io.mjpegrtp.api.Flip;
import io.mjpegrtp.api.FrameSink;
import io.mjpegrtp.gstreamer.GStreamer;
import io.mjpegrtp.gstreamer.Pipelines;

import java.util.List;
import java.util.Locale;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A macOS camera (built-in FaceTime camera, USB webcams, Continuity Camera) through GStreamer's {@code avfvideosrc}
 * from the applemedia plugin. The camera's raw video is encoded by {@code jpegenc}.
 */
@Component(property = CaptureBackend.PROPERTY + "=" + AvfBackend.NAME)
public final class AvfBackend implements CaptureBackend {
    static final String NAME = "avfoundation";
    private static final Logger LOG = LoggerFactory.getLogger(AvfBackend.class);

    private final GStreamer gstreamer;
    private final String osName;

    @Activate
    public AvfBackend(@Reference GStreamer gstreamer) {
        this(gstreamer, System.getProperty("os.name", ""));
    }

    /** With the operating system's name given, for tests. */
    AvfBackend(GStreamer gstreamer, String osName) {
        this.gstreamer = gstreamer;
        this.osName = osName;
    }

    @Override
    public Availability availability() {
        // Checked first: on Linux or Windows the reason worth reading is that AVFoundation is macOS only.
        if (!osName.toLowerCase(Locale.ROOT).startsWith("mac")) {
            return Availability.no("not macOS (AVFoundation exists only there; this is " + osName + ")");
        }
        Availability gst = gstreamer.availability();
        if (!gst.available()) {
            return gst; // "GStreamer not installed: ..."
        }
        List<String> missing = gstreamer.missingElements(AvfPipeline.ELEMENTS.toArray(String[]::new));
        if (!missing.isEmpty()) {
            return Availability.no(String.join("/", missing) + " element not installed");
        }
        return Availability.yes(gst.reason() + ": avfvideosrc encoded by " + AvfPipeline.ENCODER.factoryName());
    }

    @Override
    public Capture start(CaptureRequest request, FrameSink sink) throws CaptureException {
        Pipelines.validate(NAME, request);
        int index = deviceIndex(request.device());
        Availability availability = availability();
        if (!availability.available()) {
            throw new CaptureException(NAME + ": " + availability.reason());
        }
        if (request.flip() != Flip.NONE && !gstreamer.hasElement(AvfPipeline.FLIP_ELEMENT)) {
            throw new CaptureException(NAME + ": flip " + request.flip().configName() + " needs the "
                    + AvfPipeline.FLIP_ELEMENT + " element, which is not installed");
        }
        LOG.info("{}: camera {}: device {} as raw {}x{}@{}, flip {}: encoding with {}", NAME, request.camera(), index,
                request.width(), request.height(), request.framerate(), request.flip().configName(),
                AvfPipeline.ENCODER.factoryName());
        return gstreamer.start(request.camera(), AvfPipeline.describe(AvfPipeline.source(index), request), sink);
    }

    /** Empty means 0, the first camera; otherwise an AVFoundation device index. */
    static int deviceIndex(String device) throws CaptureException {
        String d = device.strip();
        if (d.isEmpty()) {
            return 0;
        }
        if (d.matches("[0-9]{1,4}")) {
            return Integer.parseInt(d);
        }
        throw new CaptureException(NAME + ": device \"" + d + "\" is not supported; it must be an AVFoundation "
                + "device index: 0, 1, 2...");
    }
}
