package io.mjpegrtp.capture.libcamera.internal;

import io.mjpegrtp.api.CaptureRequest;
import io.mjpegrtp.gstreamer.JpegEncoder;
import io.mjpegrtp.gstreamer.Pipelines;

import java.util.List;

/**
 * The libcamera pipeline: {@code libcamerasrc [camera-name=C] ! video/x-raw,format=NV12,width=W,height=H,framerate=F/1
 * ! queue leaky ! [videoflip !] videoconvert ! video/x-raw,format=I420 ! jpegenc|v4l2jpegenc ! appsink}. NV12 is what
 * the Raspberry Pi's ISP produces without a conversion of its own, at any size it can scale to. The flip follows the
 * caps, so rotate-90/270 send height x width. The source is a parameter so that tests can run it with a test source.
 */
final class LibcameraPipeline {
    static final String SOURCE_ELEMENT = "libcamerasrc";
    static final String FLIP_ELEMENT = "videoflip";
    /** Elements every libcamera pipeline needs besides its encoder. */
    static final List<String> ELEMENTS = List.of(SOURCE_ELEMENT, "queue", "videoconvert", "appsink");

    private LibcameraPipeline() {
    }

    /** The source element: the first camera libcamera finds, or the one with this libcamera id (camera-name). */
    static String source(String cameraName) {
        String name = cameraName.strip();
        return name.isEmpty() ? SOURCE_ELEMENT : SOURCE_ELEMENT + " camera-name=" + Pipelines.value(name);
    }

    static String describe(String source, CaptureRequest r, JpegEncoder encoder) {
        return source + " ! video/x-raw,format=NV12,width=" + r.width() + ",height=" + r.height() + ",framerate="
                + r.framerate() + "/1 ! " + Pipelines.rawToJpeg(r.flip(), r.quality(), encoder) + " ! "
                + Pipelines.APPSINK;
    }
}
