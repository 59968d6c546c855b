package io.mjpegrtp.capture.libcamera.internal;

import io.mjpegrtp.capture.testsupport.FakeGStreamer;
import io.mjpegrtp.capture.testsupport.SourceStandIn;
import io.mjpegrtp.capture.testsupport.JpegFrames;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import io.mjpegrtp.api.Availability;
import io.mjpegrtp.api.Capture;
import io.mjpegrtp.api.CaptureException;
import io.mjpegrtp.api.CaptureRequest;
import io.mjpegrtp.api.Flip;
import io.mjpegrtp.api.FrameSink;
import io.mjpegrtp.gstreamer.GStreamer;
import io.mjpegrtp.gstreamer.internal.GStreamerService;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;

/**
 * The backend with real GStreamer (outside OSGi). libcamerasrc is not installed on the build machine: the runs put
 * a live videotestsrc in its place, which gives NV12 at the size asked for just as libcamerasrc would.
 */
class LibcameraBackendTest {
    private static final GStreamer GST = new GStreamerService();

    private static CaptureRequest request(String device, Flip flip) {
        return new CaptureRequest("pi", device, 320, 240, 15, 80, flip);
    }

    @Test
    void encodesNv12To420OfTheRequestedSize() throws Exception {
        SourceStandIn gst = standIn();
        LibcameraBackend backend = new LibcameraBackend(gst);
        JpegFrames.collect(sink -> backend.start(request("", Flip.NONE), sink))
                .check(320, 240, JpegFrames.SAMPLING_420);
        assertTrue(gst.started.get(0).startsWith("libcamerasrc ! video/x-raw,format=NV12,width=320,height=240,"
                + "framerate=15/1 ! queue leaky=downstream max-size-buffers=2 ! "), gst.started.get(0));
    }

    @Test
    void rotationSwapsWidthAndHeight() throws Exception {
        SourceStandIn gst = standIn();
        LibcameraBackend backend = new LibcameraBackend(gst);
        JpegFrames.collect(sink -> backend.start(request("", Flip.ROTATE_90), sink))
                .check(240, 320, JpegFrames.SAMPLING_420);
        JpegFrames.collect(sink -> backend.start(request("/base/soc/i2c0mux/i2c@1/imx219@10", Flip.ROTATE_270), sink))
                .check(240, 320, JpegFrames.SAMPLING_420);
        JpegFrames.collect(sink -> backend.start(request("", Flip.VERTICAL), sink))
                .check(320, 240, JpegFrames.SAMPLING_420);
        assertTrue(gst.started.get(1).startsWith("libcamerasrc camera-name=\"/base/soc/i2c0mux/i2c@1/imx219@10\" ! "),
                gst.started.get(1));
    }

    @Test
    void isNotAvailableWithoutLibcamerasrc() {
        assumeFalse(GST.hasElement("libcamerasrc"), "gstreamer1.0-libcamera is installed here");
        LibcameraBackend backend = new LibcameraBackend(GST);
        Availability a = backend.availability();
        assertFalse(a.available());
        assertEquals("libcamerasrc element not installed", a.reason());
        CaptureException e = assertThrows(CaptureException.class,
                () -> backend.start(request("", Flip.NONE), new SourceStandIn.NoFrames()));
        assertEquals("libcamera: libcamerasrc element not installed", e.getMessage());
    }

    @Test
    void reportsMissingGStreamerAndElements() {
        assertEquals("GStreamer not installed: libgstreamer-1.0 not found", new LibcameraBackend(new FakeGStreamer(
                Availability.no("GStreamer not installed: libgstreamer-1.0 not found"), List.of())).availability()
                .reason());
        assertEquals("libcamerasrc/jpegenc element not installed", new LibcameraBackend(new FakeGStreamer(
                Availability.yes("GStreamer 1.22.0"), List.of("libcamerasrc", "jpegenc", "v4l2jpegenc")))
                .availability().reason());
        Availability hardware = new LibcameraBackend(new FakeGStreamer(Availability.yes("GStreamer 1.22.0"), List.of()))
                .availability();
        assertTrue(hardware.available());
        assertEquals("GStreamer 1.22.0: libcamerasrc NV12 encoded by v4l2jpegenc", hardware.reason());
        Availability software = new LibcameraBackend(new FakeGStreamer(Availability.yes("GStreamer 1.22.0"),
                List.of("v4l2jpegenc"))).availability();
        assertEquals("GStreamer 1.22.0: libcamerasrc NV12 encoded by jpegenc", software.reason());
    }

    @Test
    void rejectsRequestsOutOfRange() {
        CaptureException e = assertThrows(CaptureException.class, () -> new LibcameraBackend(standIn())
                .start(new CaptureRequest("pi", "", 640, 480, 30, 101, Flip.NONE), new SourceStandIn.NoFrames()));
        assertEquals("libcamera: quality 101 is not supported; it must be 1..100", e.getMessage());
    }

    /** The real GStreamer, with libcamerasrc "installed": it is replaced by a live videotestsrc when started. */
    private static SourceStandIn standIn() {
        return new SourceStandIn(GST, "libcamerasrc", "videotestsrc is-live=true pattern=ball");
    }
}
