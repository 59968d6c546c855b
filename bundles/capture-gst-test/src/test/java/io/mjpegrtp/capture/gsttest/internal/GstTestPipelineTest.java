package io.mjpegrtp.capture.gsttest.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mjpegrtp.api.CaptureException;
import io.mjpegrtp.api.CaptureRequest;
import io.mjpegrtp.api.Flip;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** The pipeline description alone: no GStreamer needed. */
class GstTestPipelineTest {
    private static CaptureRequest request(int w, int h, int fps, int q, Flip flip) {
        return new CaptureRequest("cam0", "", w, h, fps, q, flip);
    }

    @Test
    void describesTheWholePipeline() {
        assertEquals("videotestsrc is-live=true pattern=ball ! video/x-raw,width=640,height=480,framerate=30/1 ! "
                + "videoconvert ! video/x-raw,format=I420 ! jpegenc quality=85 ! "
                + "appsink name=sink max-buffers=2 drop=true sync=false",
                GstTestPipeline.describe(request(640, 480, 30, 85, Flip.NONE)));
    }

    @Test
    void mapsEveryFlipToAVideoflipDirection() {
        // The videoflip methods horizontal-flip, vertical-flip, clockwise, rotate-180, counterclockwise, written as
        // video-direction values (the method property is ignored in launch lines on GStreamer 1.22).
        Map<Flip, String> expected = Map.of(Flip.HORIZONTAL, "horiz", Flip.VERTICAL, "vert", Flip.ROTATE_90, "90r",
                Flip.ROTATE_180, "180", Flip.ROTATE_270, "90l");
        for (Flip flip : Flip.values()) {
            String d = GstTestPipeline.describe(request(640, 480, 30, 85, flip));
            if (flip == Flip.NONE) {
                assertFalse(d.contains("videoflip"), d);
            } else {
                assertTrue(d.contains("/1 ! videoflip video-direction=" + expected.get(flip) + " ! videoconvert"), d);
            }
        }
    }

    @Test
    void flipsAfterTheCapsSoRotationsSwapTheSentSize() {
        String d = GstTestPipeline.describe(request(320, 240, 15, 70, Flip.ROTATE_90));
        assertEquals("videotestsrc is-live=true pattern=ball ! video/x-raw,width=320,height=240,framerate=15/1 ! "
                + "videoflip video-direction=90r ! videoconvert ! video/x-raw,format=I420 ! jpegenc quality=70 ! "
                + "appsink name=sink max-buffers=2 drop=true sync=false", d);
        assertTrue(d.indexOf("framerate=15/1") < d.indexOf("videoflip"));
    }

    @Test
    void alwaysForcesI420BeforeTheEncoder() {
        for (Flip flip : Flip.values()) {
            String d = GstTestPipeline.describe(request(1920, 1080, 30, 85, flip));
            assertTrue(d.contains("videoconvert ! video/x-raw,format=I420 ! jpegenc "), d);
            assertTrue(d.endsWith("appsink name=sink max-buffers=2 drop=true sync=false"), d);
            assertEquals(flip != Flip.NONE, d.contains("videoflip"), d);
        }
    }

    @Test
    void rejectsRequestsOutOfRange() {
        assertThrows(CaptureException.class, () -> GstTestBackend.validate(request(0, 480, 30, 85, Flip.NONE)));
        assertThrows(CaptureException.class, () -> GstTestBackend.validate(request(640, 480, 0, 85, Flip.NONE)));
        CaptureException e = assertThrows(CaptureException.class,
                () -> GstTestBackend.validate(request(640, 480, 30, 101, Flip.NONE)));
        assertEquals("gst-test: quality 101 is not supported; it must be 1..100", e.getMessage());
    }

    @Test
    void namesMissingElements() {
        assertEquals("videotestsrc/jpegenc element not installed",
                GstTestBackend.notInstalled(List.of("videotestsrc", "jpegenc")));
        assertFalse(GstTestBackend.notInstalled(List.of("jpegenc")).contains("/"));
    }
}
