package io.mjpegrtp.capture.avfoundation.internal;

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
 * The backend with real GStreamer (outside OSGi). This is not macOS: the runs pretend to be, and put a live
 * videotestsrc in place of avfvideosrc.
 */
class AvfBackendTest {
    private static final GStreamer GST = new GStreamerService();
    private static final String MACOS = "Mac OS X";

    private static CaptureRequest request(Flip flip) {
        return new CaptureRequest("mac", "", 320, 240, 15, 80, flip);
    }

    @Test
    void encodesTo420OfTheRequestedSizeAndRotationSwapsIt() throws Exception {
        SourceStandIn gst = standIn();
        AvfBackend backend = new AvfBackend(gst, MACOS);
        JpegFrames.collect(sink -> backend.start(request(Flip.NONE), sink)).check(320, 240, JpegFrames.SAMPLING_420);
        JpegFrames.collect(sink -> backend.start(request(Flip.ROTATE_90), sink))
                .check(240, 320, JpegFrames.SAMPLING_420);
        JpegFrames.collect(sink -> backend.start(request(Flip.HORIZONTAL), sink))
                .check(320, 240, JpegFrames.SAMPLING_420);
        assertTrue(gst.started.get(0).startsWith("avfvideosrc device-index=0 ! video/x-raw,width=320,height=240,"
                + "framerate=15/1 ! queue leaky=downstream max-size-buffers=2 ! "), gst.started.get(0));
    }

    @Test
    void isNotAvailableOutsideMacos() {
        assumeFalse(System.getProperty("os.name").startsWith("Mac"), "this is macOS");
        AvfBackend backend = new AvfBackend(GST);
        Availability a = backend.availability();
        assertFalse(a.available());
        assertEquals("not macOS (AVFoundation exists only there; this is " + System.getProperty("os.name") + ")",
                a.reason());
        CaptureException e = assertThrows(CaptureException.class,
                () -> backend.start(request(Flip.NONE), new SourceStandIn.NoFrames()));
        assertTrue(e.getMessage().startsWith("avfoundation: not macOS"), e.getMessage());
    }

    @Test
    void onMacosNeedsGStreamerAndAvfvideosrc() {
        assumeFalse(GST.hasElement("avfvideosrc"), "avfvideosrc is installed here");
        Availability a = new AvfBackend(GST, MACOS).availability();
        assertFalse(a.available());
        assertEquals("avfvideosrc element not installed", a.reason());
        assertEquals("GStreamer not installed: libgstreamer-1.0.dylib not found", new AvfBackend(new FakeGStreamer(
                Availability.no("GStreamer not installed: libgstreamer-1.0.dylib not found"), List.of()), MACOS)
                .availability().reason());
        Availability ok = new AvfBackend(new FakeGStreamer(Availability.yes("GStreamer 1.24.0"), List.of()), MACOS)
                .availability();
        assertTrue(ok.available());
        assertEquals("GStreamer 1.24.0: avfvideosrc encoded by jpegenc", ok.reason());
    }

    /** The real GStreamer, with avfvideosrc "installed": it is replaced by a live videotestsrc when started. */
    private static SourceStandIn standIn() {
        return new SourceStandIn(GST, "avfvideosrc", "videotestsrc is-live=true pattern=ball");
    }
}
