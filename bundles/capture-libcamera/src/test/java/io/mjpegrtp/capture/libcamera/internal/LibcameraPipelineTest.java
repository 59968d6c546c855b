package io.mjpegrtp.capture.libcamera.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mjpegrtp.api.CaptureRequest;
import io.mjpegrtp.api.Flip;
import io.mjpegrtp.gstreamer.JpegEncoder;

import org.junit.jupiter.api.Test;

/** The pipeline description alone: no GStreamer needed. */
class LibcameraPipelineTest {
    private static final String SINK = "appsink name=sink max-buffers=2 drop=true sync=false";

    private static String describe(String device, Flip flip, JpegEncoder encoder) {
        CaptureRequest r = new CaptureRequest("cam0", device, 1280, 720, 30, 85, flip);
        return LibcameraPipeline.describe(LibcameraPipeline.source(device), r, encoder);
    }

    @Test
    void capturesNv12FromTheFirstCameraAndEncodesI420() {
        assertEquals("libcamerasrc ! video/x-raw,format=NV12,width=1280,height=720,framerate=30/1 ! "
                + "queue leaky=downstream max-size-buffers=2 ! videoconvert ! video/x-raw,format=I420 ! "
                + "jpegenc quality=85 ! " + SINK, describe("", Flip.NONE, JpegEncoder.JPEGENC));
    }

    @Test
    void namesTheCameraQuotedWhenItsIdNeedsIt() {
        assertTrue(describe("/base/soc/i2c0mux/i2c@1/imx219@10", Flip.NONE, JpegEncoder.JPEGENC).startsWith(
                "libcamerasrc camera-name=\"/base/soc/i2c0mux/i2c@1/imx219@10\" ! video/x-raw,format=NV12,"));
        assertTrue(describe(" /base/axi/pcie@120000/rp1/i2c@80000/imx708@1a ", Flip.NONE, JpegEncoder.JPEGENC)
                .startsWith("libcamerasrc camera-name=\"/base/axi/pcie@120000/rp1/i2c@80000/imx708@1a\" ! "));
    }

    @Test
    void usesTheHardwareEncoderWhenThereIsOneStillFedI420() {
        assertEquals("libcamerasrc ! video/x-raw,format=NV12,width=1280,height=720,framerate=30/1 ! "
                + "queue leaky=downstream max-size-buffers=2 ! videoconvert ! video/x-raw,format=I420 ! "
                + "v4l2jpegenc extra-controls=\"controls,compression_quality=85\" ! " + SINK,
                describe("", Flip.NONE, JpegEncoder.V4L2JPEGENC));
    }

    @Test
    void flipsAfterTheCapsSoRotationsSwapTheSentSize() {
        assertEquals("libcamerasrc ! video/x-raw,format=NV12,width=1280,height=720,framerate=30/1 ! "
                + "queue leaky=downstream max-size-buffers=2 ! videoflip video-direction=90r ! videoconvert ! "
                + "video/x-raw,format=I420 ! jpegenc quality=85 ! " + SINK, describe("", Flip.ROTATE_90,
                        JpegEncoder.JPEGENC));
        for (Flip flip : Flip.values()) {
            String d = describe("", flip, JpegEncoder.V4L2JPEGENC);
            assertEquals(flip != Flip.NONE, d.contains("videoflip"), d);
            assertTrue(d.contains("videoconvert ! video/x-raw,format=I420 ! v4l2jpegenc "), d);
        }
    }
}
