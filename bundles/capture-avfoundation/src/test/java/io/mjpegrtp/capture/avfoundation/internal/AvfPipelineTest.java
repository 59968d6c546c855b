package io.mjpegrtp.capture.avfoundation.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mjpegrtp.api.CaptureException;
import io.mjpegrtp.api.CaptureRequest;
import io.mjpegrtp.api.Flip;

import org.junit.jupiter.api.Test;

/** The pipeline description alone: no GStreamer needed. */
class AvfPipelineTest {
    private static final String SINK = "appsink name=sink max-buffers=2 drop=true sync=false";

    private static String describe(String device, Flip flip) throws CaptureException {
        CaptureRequest r = new CaptureRequest("mac", device, 1280, 720, 30, 85, flip);
        return AvfPipeline.describe(AvfPipeline.source(AvfBackend.deviceIndex(device)), r);
    }

    @Test
    void capturesRawVideoFromTheFirstCameraAndEncodesI420() throws CaptureException {
        assertEquals("avfvideosrc device-index=0 ! video/x-raw,width=1280,height=720,framerate=30/1 ! "
                + "queue leaky=downstream max-size-buffers=2 ! videoconvert ! video/x-raw,format=I420 ! "
                + "jpegenc quality=85 ! " + SINK, describe("", Flip.NONE));
        assertTrue(describe(" 2 ", Flip.NONE).startsWith("avfvideosrc device-index=2 ! "));
    }

    @Test
    void flipsAfterTheCapsSoRotationsSwapTheSentSize() throws CaptureException {
        assertEquals("avfvideosrc device-index=1 ! video/x-raw,width=1280,height=720,framerate=30/1 ! "
                + "queue leaky=downstream max-size-buffers=2 ! videoflip video-direction=90l ! videoconvert ! "
                + "video/x-raw,format=I420 ! jpegenc quality=85 ! " + SINK, describe("1", Flip.ROTATE_270));
        for (Flip flip : Flip.values()) {
            String d = describe("", flip);
            assertEquals(flip != Flip.NONE, d.contains("videoflip"), d);
            assertTrue(d.contains("videoconvert ! video/x-raw,format=I420 ! jpegenc quality=85 ! "), d);
        }
    }

    @Test
    void acceptsOnlyDeviceIndexes() {
        CaptureException e = assertThrows(CaptureException.class, () -> AvfBackend.deviceIndex("FaceTime HD Camera"));
        assertEquals("avfoundation: device \"FaceTime HD Camera\" is not supported; it must be an AVFoundation device "
                + "index: 0, 1, 2...", e.getMessage());
        assertThrows(CaptureException.class, () -> AvfBackend.deviceIndex("-1"));
        assertThrows(CaptureException.class, () -> AvfBackend.deviceIndex("99999999999"));
    }
}
