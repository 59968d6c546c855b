package io.mjpegrtp.capture.gsttest.internal;

import io.mjpegrtp.api.Availability;
import io.mjpegrtp.api.Capture;
import io.mjpegrtp.api.CaptureBackend;
import io.mjpegrtp.api.CaptureException;
import io.mjpegrtp.api.CaptureRequest;
import io.mjpegrtp.api.Flip;
import io.mjpegrtp.api.FrameSink;
import io.mjpegrtp.gstreamer.GStreamer;

import java.util.List;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * GStreamer's {@code videotestsrc} (a moving ball), live at the configured size and rate, encoded by
 * {@code jpegenc}: exercises the whole GStreamer path of the real camera backends without a camera.
 */
@Component(property = CaptureBackend.PROPERTY + "=" + GstTestBackend.NAME)
public final class GstTestBackend implements CaptureBackend {
    static final String NAME = "gst-test";
    private static final Logger LOG = LoggerFactory.getLogger(GstTestBackend.class);

    private final GStreamer gstreamer;

    @Activate
    public GstTestBackend(@Reference GStreamer gstreamer) {
        this.gstreamer = gstreamer;
    }

    @Override
    public Availability availability() {
        Availability gst = gstreamer.availability();
        if (!gst.available()) {
            return gst; // "GStreamer not installed: ..."
        }
        List<String> missing = gstreamer.missingElements(GstTestPipeline.ELEMENTS.toArray(String[]::new));
        if (!missing.isEmpty()) {
            return Availability.no(notInstalled(missing));
        }
        return Availability.yes(gst.reason() + ": videotestsrc encoded by jpegenc");
    }

    static String notInstalled(List<String> missing) {
        return String.join("/", missing) + " element not installed";
    }

    @Override
    public Capture start(CaptureRequest request, FrameSink sink) throws CaptureException {
        validate(request);
        Availability availability = availability();
        if (!availability.available()) {
            throw new CaptureException(NAME + ": " + availability.reason());
        }
        if (request.flip() != Flip.NONE && !gstreamer.hasElement(GstTestPipeline.FLIP_ELEMENT)) {
            throw new CaptureException(NAME + ": flip " + request.flip().configName() + " needs the "
                    + notInstalled(List.of(GstTestPipeline.FLIP_ELEMENT)));
        }
        String description = GstTestPipeline.describe(request);
        LOG.info("{}: camera {} {}x{} at {} fps, quality {}, flip {}", NAME, request.camera(), request.width(),
                request.height(), request.framerate(), request.quality(), request.flip().configName());
        return gstreamer.start(request.camera(), description, sink);
    }

    static void validate(CaptureRequest r) throws CaptureException {
        if (r.width() < 16 || r.width() > 8192 || r.height() < 16 || r.height() > 8192) {
            throw new CaptureException(NAME + ": size " + r.width() + "x" + r.height()
                    + " is not supported; width and height must be 16..8192");
        }
        if (r.framerate() < 1 || r.framerate() > 1000) {
            throw new CaptureException(NAME + ": framerate " + r.framerate() + " is not supported; it must be 1..1000");
        }
        if (r.quality() < 1 || r.quality() > 100) {
            throw new CaptureException(NAME + ": quality " + r.quality() + " is not supported; it must be 1..100");
        }
    }
}
