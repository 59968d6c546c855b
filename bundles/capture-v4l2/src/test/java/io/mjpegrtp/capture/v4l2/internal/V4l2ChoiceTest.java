package io.mjpegrtp.capture.v4l2.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mjpegrtp.api.CaptureException;
import io.mjpegrtp.api.Flip;
import io.mjpegrtp.capture.v4l2.internal.OfferedFormat.Fraction;
import io.mjpegrtp.capture.v4l2.internal.V4l2Choice.Mode;
import io.mjpegrtp.gstreamer.JpegEncoder;

import java.util.List;

import org.junit.jupiter.api.Test;

/** The choice between passing MJPEG through and encoding, from caps strings as v4l2src prints them. */
class V4l2ChoiceTest {
    private static final String DEVICE = "/dev/video0";

    /** A USB webcam (Logitech C920-like): MJPEG up to 1080p at 30 fps, YUYV at 720p only up to 10 fps. */
    static final List<String> WEBCAM = List.of(
            "image/jpeg, width=(int)1920, height=(int)1080, pixel-aspect-ratio=(fraction)1/1, "
                    + "framerate=(fraction){ 30/1, 24/1, 20/1, 15/1, 10/1, 15/2, 5/1 }",
            "image/jpeg, width=(int)1280, height=(int)720, pixel-aspect-ratio=(fraction)1/1, "
                    + "framerate=(fraction){ 30/1, 24/1, 20/1, 15/1, 10/1, 15/2, 5/1 };",
            "image/jpeg, width=(int)640, height=(int)480, pixel-aspect-ratio=(fraction)1/1, "
                    + "framerate=(fraction){ 30/1, 24/1, 20/1, 15/1, 10/1, 15/2, 5/1 }",
            "video/x-raw, format=(string)YUY2, width=(int)1920, height=(int)1080, pixel-aspect-ratio=(fraction)1/1, "
                    + "colorimetry=(string){ 2:4:5:1, 1:4:7:1, 2:4:7:1, 2:4:16:4 }, framerate=(fraction)5/1",
            "video/x-raw, format=(string)YUY2, width=(int)1280, height=(int)720, pixel-aspect-ratio=(fraction)1/1, "
                    + "colorimetry=(string){ 2:4:5:1, 1:4:7:1, 2:4:7:1, 2:4:16:4 }, "
                    + "framerate=(fraction){ 10/1, 15/2, 5/1 }",
            "video/x-raw, format=(string)YUY2, width=(int)640, height=(int)480, pixel-aspect-ratio=(fraction)1/1, "
                    + "colorimetry=(string){ 2:4:5:1, 1:4:7:1, 2:4:7:1, 2:4:16:4 }, "
                    + "framerate=(fraction){ 30/1, 24/1, 20/1, 15/1, 10/1, 15/2, 5/1 }");

    /** A laptop camera without MJPEG. */
    static final List<String> RAW_ONLY = List.of(
            "video/x-raw, format=(string)YUY2, width=(int)640, height=(int)480, pixel-aspect-ratio=(fraction)1/1, "
                    + "framerate=(fraction)30/1",
            "video/x-raw, format=(string)YUY2, width=(int)1280, height=(int)720, pixel-aspect-ratio=(fraction)1/1, "
                    + "framerate=(fraction)10/1");

    /** A device that describes its sizes and rates stepwise, with several raw formats. */
    static final List<String> STEPWISE = List.of(
            "image/jpeg, width=(int)[ 32, 2592, 2 ], height=(int)[ 32, 1944, 2 ], framerate=(fraction)[ 1/1, 90/1 ]",
            "video/x-raw, format=(string){ YUY2, NV12, BGRx }, width=(int)[ 32, 2592, 2 ], "
                    + "height=(int)[ 32, 1944, 2 ], framerate=(fraction)[ 1/1, 90/1 ]");

    private static V4l2Choice choose(List<String> offered, int w, int h, int fps, Flip flip) throws CaptureException {
        return V4l2Choice.choose(DEVICE, offered, w, h, fps, flip);
    }

    @Test
    void passesTheWebcamsMjpegThroughWhenItHasTheSizeAndRate() throws CaptureException {
        V4l2Choice c = choose(WEBCAM, 1280, 720, 30, Flip.NONE);
        assertEquals(Mode.PASS_THROUGH, c.mode());
        assertEquals(new Fraction(30, 1), c.framerate());
        assertEquals("/dev/video0 offers MJPEG 1280x720@30: passing it through",
                c.explain(DEVICE, 1280, 720, JpegEncoder.JPEGENC));
        assertEquals(Mode.PASS_THROUGH, choose(WEBCAM, 1920, 1080, 15, Flip.NONE).mode());
    }

    @Test
    void encodesRawVideoWhenAFlipIsWantedAndRawHasTheSizeAndRate() throws CaptureException {
        V4l2Choice c = choose(WEBCAM, 640, 480, 30, Flip.ROTATE_90);
        assertEquals(Mode.ENCODE_RAW, c.mode());
        assertEquals("YUY2", c.format());
        assertEquals("/dev/video0 offers YUYV 640x480@30 (flip rotate-90 needs raw pictures): encoding YUYV with "
                + "jpegenc", c.explain(DEVICE, 640, 480, JpegEncoder.JPEGENC));
        assertEquals(Mode.ENCODE_RAW, choose(WEBCAM, 1280, 720, 10, Flip.HORIZONTAL).mode());
    }

    @Test
    void encodesRawVideoWhenThereIsNoMjpeg() throws CaptureException {
        V4l2Choice c = choose(RAW_ONLY, 640, 480, 30, Flip.NONE);
        assertEquals(Mode.ENCODE_RAW, c.mode());
        assertEquals("/dev/video0 offers YUYV 640x480@30 (no MJPEG at 640x480@30): encoding YUYV with v4l2jpegenc",
                c.explain(DEVICE, 640, 480, JpegEncoder.V4L2JPEGENC));
    }

    @Test
    void decodesMjpegOnlyWhenAFlipIsWantedAndRawIsTooSlowAtThatSize() throws CaptureException {
        // YUYV at 1280x720 only reaches 10 fps on this webcam: decode its MJPEG rather than fail.
        V4l2Choice c = choose(WEBCAM, 1280, 720, 30, Flip.ROTATE_270);
        assertEquals(Mode.DECODE_AND_ENCODE, c.mode());
        assertEquals("/dev/video0 offers MJPEG 1280x720@30 (no raw video at 1280x720@30 and flip rotate-270 needs "
                + "raw pictures): decoding MJPEG with jpegdec, encoding with jpegenc",
                c.explain(DEVICE, 1280, 720, JpegEncoder.JPEGENC));
    }

    @Test
    void failsNamingWhatTheDeviceOffersWhenNothingFits() {
        CaptureException size = assertThrows(CaptureException.class, () -> choose(WEBCAM, 1024, 768, 30, Flip.NONE));
        assertEquals("v4l2: /dev/video0 does not offer 1024x768 at 30 fps as MJPEG or raw video; it offers "
                + "MJPEG 1920x1080@30,24,20,15,10,7.5,5; MJPEG 1280x720@30,24,20,15,10,7.5,5; "
                + "MJPEG 640x480@30,24,20,15,10,7.5,5; YUYV 1920x1080@5; YUYV 1280x720@10,7.5,5; "
                + "YUYV 640x480@30,24,20,15,10,7.5,5", size.getMessage());
        CaptureException rate = assertThrows(CaptureException.class, () -> choose(RAW_ONLY, 1280, 720, 30, Flip.NONE));
        assertTrue(rate.getMessage().startsWith("v4l2: /dev/video0 does not offer 1280x720 at 30 fps"),
                rate.getMessage());
        // 7 fps is not 7.5 (beyond the 0.5% a driver's rounding explains).
        assertThrows(CaptureException.class, () -> choose(WEBCAM, 640, 480, 7, Flip.NONE));
    }

    @Test
    void saysWhenTheDeviceOffersNothingUsable() {
        assertEquals("v4l2: /dev/video0 does not offer 640x480 at 30 fps as MJPEG or raw video; it offers nothing",
                assertThrows(CaptureException.class, () -> choose(List.of(), 640, 480, 30, Flip.NONE)).getMessage());
        List<String> h264 = List.of("video/x-h264, stream-format=(string)byte-stream, alignment=(string)au, "
                + "width=(int)640, height=(int)480, framerate=(fraction)30/1");
        assertEquals("v4l2: /dev/video0 does not offer 640x480 at 30 fps as MJPEG or raw video; it offers no MJPEG "
                + "or raw video, only video/x-h264",
                assertThrows(CaptureException.class, () -> choose(h264, 640, 480, 30, Flip.NONE)).getMessage());
    }

    @Test
    void keepsTheDevicesExactFractionForNearlyTheSameRate() throws CaptureException {
        List<String> ntsc = List.of("image/jpeg, width=(int)640, height=(int)480, "
                + "framerate=(fraction){ 30000/1001, 15000/1001 }");
        V4l2Choice c = choose(ntsc, 640, 480, 30, Flip.NONE);
        assertEquals(new Fraction(30000, 1001), c.framerate(), "the caps must say what the device offers");
        assertEquals("/dev/video0 offers MJPEG 640x480@29.97: passing it through",
                c.explain(DEVICE, 640, 480, JpegEncoder.JPEGENC));
    }

    @Test
    void matchesRangesWithTheirStep() throws CaptureException {
        V4l2Choice c = choose(STEPWISE, 1000, 600, 25, Flip.NONE);
        assertEquals(Mode.PASS_THROUGH, c.mode());
        assertEquals(new Fraction(25, 1), c.framerate());
        V4l2Choice flipped = choose(STEPWISE, 1000, 600, 25, Flip.VERTICAL);
        assertEquals(Mode.ENCODE_RAW, flipped.mode());
        assertEquals("NV12", flipped.format(), "4:2:0 NV12 preferred over YUY2");
        assertThrows(CaptureException.class, () -> choose(STEPWISE, 1001, 600, 25, Flip.NONE), "odd width, step 2");
        assertThrows(CaptureException.class, () -> choose(STEPWISE, 2600, 600, 25, Flip.NONE), "beyond the range");
    }

    @Test
    void ignoresCapsWithMemoryFeaturesAndUnreadableStructures() throws CaptureException {
        List<String> offered = List.of(
                "image/jpeg(memory:DMABuf), width=(int)640, height=(int)480, framerate=(fraction)30/1",
                "image/jpeg, width=(int)what, height=(int)480, framerate=(fraction)30/1",
                "video/x-raw(memory:SystemMemory), format=(string)UYVY, width=(int)640, height=(int)480, "
                        + "framerate=(fraction)30/1");
        V4l2Choice c = choose(offered, 640, 480, 30, Flip.NONE);
        assertEquals(Mode.ENCODE_RAW, c.mode());
        assertEquals("UYVY", c.format());
    }

    @Test
    void readsFieldsWithAndWithoutTypes() {
        OfferedFormat f = OfferedFormat.parse("video/x-raw, format=\"NV12\", width=640, height=(int){ 480, 360 }, "
                + "framerate=(fraction)[ 0/1, 2147483647/1 ], colorimetry=(string)\"bt601, odd\"").orElseThrow();
        assertEquals(List.of("NV12"), f.formats());
        assertTrue(f.offersSize(640, 360));
        assertFalse(f.offersSize(640, 400));
        assertEquals(new Fraction(60, 1), f.rate(60).orElseThrow());
        assertEquals("NV12 640x480,360@0-2147483647", f.readable());
        OfferedFormat any = OfferedFormat.parse("image/jpeg").orElseThrow();
        assertTrue(any.offersSize(1920, 1080), "no width field: any width");
    }
}
