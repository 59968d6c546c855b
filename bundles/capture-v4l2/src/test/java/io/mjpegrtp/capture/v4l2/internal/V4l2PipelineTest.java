package io.mjpegrtp.capture.v4l2.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mjpegrtp.api.CaptureException;
import io.mjpegrtp.api.CaptureRequest;
import io.mjpegrtp.api.Flip;
import io.mjpegrtp.gstreamer.JpegEncoder;

import java.util.List;

import org.junit.jupiter.api.Test;

/** The pipeline descriptions alone: no GStreamer needed. */
class V4l2PipelineTest {
    private static final String SINK = "appsink name=sink max-buffers=2 drop=true sync=false";

    private static String describe(String device, List<String> offered, int w, int h, int fps, Flip flip,
            JpegEncoder encoder) throws CaptureException {
        CaptureRequest r = new CaptureRequest("cam0", device, w, h, fps, 85, flip);
        V4l2Choice choice = V4l2Choice.choose(device, offered, w, h, fps, flip);
        return V4l2Pipeline.describe(V4l2Pipeline.source(device), choice, r, encoder);
    }

    @Test
    void passesMjpegThroughWithNoDecodeOrEncode() throws CaptureException {
        assertEquals("v4l2src device=/dev/video0 ! image/jpeg,width=1280,height=720,framerate=30/1 ! " + SINK,
                describe("/dev/video0", V4l2ChoiceTest.WEBCAM, 1280, 720, 30, Flip.NONE, JpegEncoder.JPEGENC));
        // The hardware encoder changes nothing when nothing is encoded.
        assertEquals("v4l2src device=/dev/video2 ! image/jpeg,width=640,height=480,framerate=15/1 ! " + SINK,
                describe("/dev/video2", V4l2ChoiceTest.WEBCAM, 640, 480, 15, Flip.NONE, JpegEncoder.V4L2JPEGENC));
    }

    @Test
    void encodesRawVideoAsI420ThroughALeakyQueue() throws CaptureException {
        assertEquals("v4l2src device=/dev/video0 ! video/x-raw,format=YUY2,width=640,height=480,framerate=30/1 ! "
                + "queue leaky=downstream max-size-buffers=2 ! videoconvert ! video/x-raw,format=I420 ! "
                + "jpegenc quality=85 ! " + SINK,
                describe("/dev/video0", V4l2ChoiceTest.RAW_ONLY, 640, 480, 30, Flip.NONE, JpegEncoder.JPEGENC));
    }

    @Test
    void usesTheHardwareEncoderWhenThereIsOneStillFedI420() throws CaptureException {
        assertEquals("v4l2src device=/dev/video0 ! video/x-raw,format=YUY2,width=640,height=480,framerate=30/1 ! "
                + "queue leaky=downstream max-size-buffers=2 ! videoconvert ! video/x-raw,format=I420 ! "
                + "v4l2jpegenc extra-controls=\"controls,compression_quality=85\" ! " + SINK,
                describe("/dev/video0", V4l2ChoiceTest.RAW_ONLY, 640, 480, 30, Flip.NONE, JpegEncoder.V4L2JPEGENC));
    }

    @Test
    void flipsAfterTheCapsSoRotationsSwapTheSentSize() throws CaptureException {
        String d = describe("/dev/video0", V4l2ChoiceTest.WEBCAM, 640, 480, 30, Flip.ROTATE_90, JpegEncoder.JPEGENC);
        assertEquals("v4l2src device=/dev/video0 ! video/x-raw,format=YUY2,width=640,height=480,framerate=30/1 ! "
                + "queue leaky=downstream max-size-buffers=2 ! videoflip video-direction=90r ! videoconvert ! "
                + "video/x-raw,format=I420 ! jpegenc quality=85 ! " + SINK, d);
        for (Flip flip : Flip.values()) {
            String any = describe("/dev/video0", V4l2ChoiceTest.STEPWISE, 640, 480, 30, flip, JpegEncoder.JPEGENC);
            assertEquals(flip != Flip.NONE, any.contains("videoflip"), any);
            assertEquals(flip == Flip.NONE, any.contains("image/jpeg"), any);
            if (flip != Flip.NONE) {
                assertTrue(any.indexOf("framerate=30/1") < any.indexOf("videoflip"), any);
            }
        }
    }

    @Test
    void decodesMjpegAfterTheQueueWhenAFlipNeedsIt() throws CaptureException {
        assertEquals("v4l2src device=/dev/video0 ! image/jpeg,width=1280,height=720,framerate=30/1 ! "
                + "queue leaky=downstream max-size-buffers=2 ! jpegdec ! videoflip video-direction=180 ! "
                + "videoconvert ! video/x-raw,format=I420 ! jpegenc quality=85 ! " + SINK,
                describe("/dev/video0", V4l2ChoiceTest.WEBCAM, 1280, 720, 30, Flip.ROTATE_180, JpegEncoder.JPEGENC));
    }

    @Test
    void asksForTheDevicesExactRateAndQuotesOddDevicePaths() throws CaptureException {
        List<String> ntsc = List.of("image/jpeg, width=(int)640, height=(int)480, framerate=(fraction)30000/1001");
        assertEquals("v4l2src device=\"/dev/v4l/by-path/my cam\" ! image/jpeg,width=640,height=480,"
                + "framerate=30000/1001 ! " + SINK,
                describe("/dev/v4l/by-path/my cam", ntsc, 640, 480, 30, Flip.NONE, JpegEncoder.JPEGENC));
    }

    @Test
    void namesTheElementsEachWayNeeds() throws CaptureException {
        V4l2Choice pass = V4l2Choice.choose("/dev/video0", V4l2ChoiceTest.WEBCAM, 1280, 720, 30, Flip.NONE);
        assertEquals(List.of("v4l2src", "appsink"), V4l2Pipeline.elements(pass, Flip.NONE, JpegEncoder.JPEGENC));
        V4l2Choice decode = V4l2Choice.choose("/dev/video0", V4l2ChoiceTest.WEBCAM, 1280, 720, 30, Flip.VERTICAL);
        assertEquals(List.of("v4l2src", "queue", "jpegdec", "videoflip", "videoconvert", "v4l2jpegenc", "appsink"),
                V4l2Pipeline.elements(decode, Flip.VERTICAL, JpegEncoder.V4L2JPEGENC));
    }
}
