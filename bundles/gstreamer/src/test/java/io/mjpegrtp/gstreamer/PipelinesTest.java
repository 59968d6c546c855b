package io.mjpegrtp.gstreamer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.mjpegrtp.api.CaptureException;
import io.mjpegrtp.api.CaptureRequest;
import io.mjpegrtp.api.Flip;

import java.util.List;

import java.util.Optional;

import org.junit.jupiter.api.Test;

class PipelinesTest {
    @Test
    void flipsAsVideoDirections() {
        assertEquals(Optional.empty(), Pipelines.videoflip(Flip.NONE));
        assertEquals(Optional.of("videoflip video-direction=horiz"), Pipelines.videoflip(Flip.HORIZONTAL));
        assertEquals(Optional.of("videoflip video-direction=vert"), Pipelines.videoflip(Flip.VERTICAL));
        assertEquals(Optional.of("videoflip video-direction=90r"), Pipelines.videoflip(Flip.ROTATE_90));
        assertEquals(Optional.of("videoflip video-direction=180"), Pipelines.videoflip(Flip.ROTATE_180));
        assertEquals(Optional.of("videoflip video-direction=90l"), Pipelines.videoflip(Flip.ROTATE_270));
    }

    @Test
    void encodesTo420() {
        assertEquals("videoconvert ! video/x-raw,format=I420 ! jpegenc quality=85", Pipelines.jpegEncoder(85));
        assertEquals("appsink name=sink max-buffers=2 drop=true sync=false", Pipelines.APPSINK);
    }

    @Test
    void encodesWithEitherEncoderFedI420() {
        assertEquals("videoconvert ! video/x-raw,format=I420 ! jpegenc quality=70",
                Pipelines.jpegEncoder(70, JpegEncoder.JPEGENC));
        assertEquals("videoconvert ! video/x-raw,format=I420 ! "
                + "v4l2jpegenc extra-controls=\"controls,compression_quality=70\"",
                Pipelines.jpegEncoder(70, JpegEncoder.V4L2JPEGENC));
    }

    @Test
    void rawToJpegQueuesThenFlipsThenEncodes() {
        assertEquals("queue leaky=downstream max-size-buffers=2 ! videoconvert ! video/x-raw,format=I420 ! "
                + "jpegenc quality=85", Pipelines.rawToJpeg(Flip.NONE, 85, JpegEncoder.JPEGENC));
        assertEquals("queue leaky=downstream max-size-buffers=2 ! videoflip video-direction=90l ! videoconvert ! "
                + "video/x-raw,format=I420 ! v4l2jpegenc extra-controls=\"controls,compression_quality=60\"",
                Pipelines.rawToJpeg(Flip.ROTATE_270, 60, JpegEncoder.V4L2JPEGENC));
    }

    @Test
    void prefersTheHardwareEncoderWhereInstalled() {
        assertEquals(JpegEncoder.V4L2JPEGENC, JpegEncoder.preferred(new Elements(List.of("v4l2jpegenc", "jpegenc"))));
        assertEquals(JpegEncoder.JPEGENC, JpegEncoder.preferred(new Elements(List.of("jpegenc"))));
    }

    @Test
    void quotesValuesGstLaunchWouldSplit() {
        assertEquals("/dev/video0", Pipelines.value("/dev/video0"));
        String byId = "/dev/v4l/by-id/usb-046d_0825-video-index0";
        assertEquals(byId, Pipelines.value(byId));
        assertEquals("\"/base/soc/i2c0mux/i2c@1/imx219@10\"", Pipelines.value("/base/soc/i2c0mux/i2c@1/imx219@10"));
        assertEquals("\"my cam ! x\"", Pipelines.value("my cam ! x"));
        assertEquals("\"a\\\"b\\\\c\"", Pipelines.value("a\"b\\c"));
        assertEquals("\"\"", Pipelines.value(""));
    }

    @Test
    void validatesRequests() throws CaptureException {
        Pipelines.validate("v4l2", new CaptureRequest("c", "", 16, 8192, 1, 100, Flip.NONE));
        assertEquals("v4l2: size 15x480 is not supported; width and height must be 16..8192",
                assertThrows(CaptureException.class, () -> Pipelines.validate("v4l2",
                        new CaptureRequest("c", "", 15, 480, 30, 85, Flip.NONE))).getMessage());
        assertEquals("x: framerate 0 is not supported; it must be 1..1000",
                assertThrows(CaptureException.class, () -> Pipelines.validate("x",
                        new CaptureRequest("c", "", 640, 480, 0, 85, Flip.NONE))).getMessage());
        assertEquals("x: quality 0 is not supported; it must be 1..100",
                assertThrows(CaptureException.class, () -> Pipelines.validate("x",
                        new CaptureRequest("c", "", 640, 480, 30, 0, Flip.NONE))).getMessage());
    }

    /** Installed elements only. */
    private record Elements(List<String> installed) implements GStreamer {
        @Override
        public io.mjpegrtp.api.Availability availability() {
            return io.mjpegrtp.api.Availability.yes("GStreamer 1.22.0");
        }

        @Override
        public boolean hasElement(String factoryName) {
            return installed.contains(factoryName);
        }

        @Override
        public io.mjpegrtp.api.Capture start(String camera, String description, io.mjpegrtp.api.FrameSink sink)
                throws CaptureException {
            throw new CaptureException("not here");
        }
    }
}
