package io.mjpegrtp.capture.gsttest.internal;

import io.mjpegrtp.api.CaptureRequest;
import io.mjpegrtp.gstreamer.Pipelines;

import java.util.List;

/**
 * The gst-test pipeline: a live {@code videotestsrc} at the requested size and rate, flipped after the caps (so
 * rotate-90/270 send height x width), converted to I420 so that {@code jpegenc} makes 4:2:0 baseline JPEG, and an
 * appsink that keeps only the newest two frames.
 */
final class GstTestPipeline {
    /** Elements every gst-test pipeline needs. */
    static final List<String> ELEMENTS = List.of("videotestsrc", "videoconvert", "jpegenc", "appsink");
    static final String FLIP_ELEMENT = "videoflip";

    private GstTestPipeline() {
    }

    static String describe(CaptureRequest request) {
        StringBuilder b = new StringBuilder("videotestsrc is-live=true pattern=ball ! video/x-raw,width=")
                .append(request.width()).append(",height=").append(request.height()).append(",framerate=")
                .append(request.framerate()).append("/1 ! ");
        Pipelines.videoflip(request.flip()).ifPresent(f -> b.append(f).append(" ! "));
        return b.append(Pipelines.jpegEncoder(request.quality())).append(" ! ").append(Pipelines.APPSINK).toString();
    }
}
