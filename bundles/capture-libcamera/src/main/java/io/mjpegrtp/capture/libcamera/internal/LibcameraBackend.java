package io.mjpegrtp.capture.libcamera.internal;

import io.mjpegrtp.api.Availability;
import io.mjpegrtp.api.Capture;
import io.mjpegrtp.api.CaptureBackend;
import io.mjpegrtp.api.CaptureException;
import io.mjpegrtp.api.CaptureRequest;
import io.mjpegrtp.api.Flip;
import io.mjpegrtp.api.FrameSink;
import io.mjpegrtp.gstreamer.GStreamer;
import io.mjpegrtp.gstreamer.JpegEncoder;
import io.mjpegrtp.gstreamer.Pipelines;

import java.util.ArrayList;
import java.util.List;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A camera through libcamera (the Raspberry Pi camera modules, and what else libcamera supports) with GStreamer's
 * {@code libcamerasrc} from gstreamer1.0-libcamera. The camera delivers NV12 at the requested size; it is encoded by
 * the Pi's hardware encoder where {@code v4l2jpegenc} exists, else by {@code jpegenc}.
 */
@Component(property = CaptureBackend.PROPERTY + "=" + LibcameraBackend.NAME)
public final class LibcameraBackend implements CaptureBackend {
    static final String NAME = "libcamera";
    private static final Logger LOG = LoggerFactory.getLogger(LibcameraBackend.class);

    private final GStreamer gstreamer;

    @Activate
    public LibcameraBackend(@Reference GStreamer gstreamer) {
        this.gstreamer = gstreamer;
    }

    @Override
    public Availability availability() {
        Availability gst = gstreamer.availability();
        if (!gst.available()) {
            return gst; // "GStreamer not installed: ..."
        }
        JpegEncoder encoder = JpegEncoder.preferred(gstreamer);
        List<String> needed = new ArrayList<>(LibcameraPipeline.ELEMENTS);
        needed.add(encoder.factoryName());
        List<String> missing = gstreamer.missingElements(needed.toArray(String[]::new));
        if (!missing.isEmpty()) {
            return Availability.no(String.join("/", missing) + " element not installed");
        }
        return Availability.yes(gst.reason() + ": libcamerasrc NV12 encoded by " + encoder.factoryName());
    }

    @Override
    public Capture start(CaptureRequest request, FrameSink sink) throws CaptureException {
        Pipelines.validate(NAME, request);
        Availability availability = availability();
        if (!availability.available()) {
            throw new CaptureException(NAME + ": " + availability.reason());
        }
        if (request.flip() != Flip.NONE && !gstreamer.hasElement(LibcameraPipeline.FLIP_ELEMENT)) {
            throw new CaptureException(NAME + ": flip " + request.flip().configName() + " needs the "
                    + LibcameraPipeline.FLIP_ELEMENT + " element, which is not installed");
        }
        JpegEncoder encoder = JpegEncoder.preferred(gstreamer);
        String camera = request.device().isBlank() ? "the first camera" : "camera " + request.device().strip();
        LOG.info("{}: camera {}: {} as NV12 {}x{}@{}, flip {}: encoding with {}", NAME, request.camera(), camera,
                request.width(), request.height(), request.framerate(), request.flip().configName(),
                encoder.factoryName());
        String description = LibcameraPipeline.describe(LibcameraPipeline.source(request.device()), request, encoder);
        return gstreamer.start(request.camera(), description, sink);
    }
}
