package io.mjpegrtp.capture.avfoundation.internal;

import io.mjpegrtp.api.CaptureRequest;
import io.mjpegrtp.gstreamer.JpegEncoder;
import io.mjpegrtp.gstreamer.Pipelines;

import java.util.List;

/**
 * The AVFoundation pipeline: {@code avfvideosrc device-index=N ! video/x-raw,width=W,height=H,framerate=F/1 ! queue
 * leaky ! [videoflip !] videoconvert ! video/x-raw,format=I420 ! jpegenc ! appsink}. Plain {@code video/x-raw} asks
 * for system memory (not GL textures) in whichever format the camera gives (NV12, UYVY, BGRA). The flip follows the
 * caps, so rotate-90/270 send height x width. The source is a parameter so that tests can run it with a test source.
 */
final class AvfPipeline {
    static final String SOURCE_ELEMENT = "avfvideosrc";
    static final String FLIP_ELEMENT = "videoflip";
    /** macOS has no V4L2: always libjpeg. */
    static final JpegEncoder ENCODER = JpegEncoder.JPEGENC;
    /** Elements every AVFoundation pipeline needs. */
    static final List<String> ELEMENTS = List.of(SOURCE_ELEMENT, "queue", "videoconvert", ENCODER.factoryName(),
            "appsink");

    private AvfPipeline() {
    }

    /** The source element for an AVFoundation device index (0 is the built-in camera on most Macs). */
    static String source(int deviceIndex) {
        return SOURCE_ELEMENT + " device-index=" + deviceIndex;
    }

    static String describe(String source, CaptureRequest r) {
        return source + " ! video/x-raw,width=" + r.width() + ",height=" + r.height() + ",framerate=" + r.framerate()
                + "/1 ! " + Pipelines.rawToJpeg(r.flip(), r.quality(), ENCODER) + " ! " + Pipelines.APPSINK;
    }
}
