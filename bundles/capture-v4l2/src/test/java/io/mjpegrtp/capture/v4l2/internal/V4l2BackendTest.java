package io.mjpegrtp.capture.v4l2.internal;

import io.mjpegrtp.capture.testsupport.JpegFrames;
import io.mjpegrtp.capture.testsupport.SourceStandIn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.mjpegrtp.api.Availability;
import io.mjpegrtp.api.Capture;
import io.mjpegrtp.api.CaptureException;
import io.mjpegrtp.api.CaptureRequest;
import io.mjpegrtp.api.Flip;
import io.mjpegrtp.api.FrameSink;
import io.mjpegrtp.gstreamer.GStreamer;
import io.mjpegrtp.gstreamer.internal.GStreamerService;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The backend with real GStreamer (outside OSGi). There is no camera on the build machine: the device nodes are
 * files in a temporary directory, the device's caps are given, and v4l2src is replaced by a test source producing
 * what such a device would, so every way through start() runs for real.
 */
class V4l2BackendTest {
    private static final GStreamer GST = new GStreamerService();

    /** A small webcam: MJPEG and YUYV at 320x240, MJPEG only at 640x360. */
    private static final List<String> CAMERA = List.of(
            "image/jpeg, width=(int)320, height=(int)240, framerate=(fraction){ 30/1, 15/1 }",
            "image/jpeg, width=(int)640, height=(int)360, framerate=(fraction){ 30/1, 15/1 }",
            "video/x-raw, format=(string)YUY2, width=(int)320, height=(int)240, framerate=(fraction){ 30/1, 15/1 }",
            "video/x-raw, format=(string)YUY2, width=(int)640, height=(int)360, framerate=(fraction)5/1");

    @TempDir
    Path dev;

    private static CaptureRequest request(String device, int w, int h, Flip flip) {
        return new CaptureRequest("cam", device, w, h, 15, 80, flip);
    }

    /** What a webcam's own encoder makes: JPEG of this size, 4:2:2 from YUY2 like most webcams. */
    private static String jpegSource(int w, int h, String format) {
        return "videotestsrc is-live=true pattern=ball ! video/x-raw,format=" + format + ",width=" + w + ",height=" + h
                + ",framerate=15/1 ! jpegenc quality=50";
    }

    private void nodes(String... names) throws IOException {
        for (String n : names) {
            Files.createFile(dev.resolve(n));
        }
    }

    @Test
    void passesTheDevicesJpegThroughUntouched() throws Exception {
        nodes("video0");
        StandIn gst = new StandIn(CAMERA, jpegSource(320, 240, "YUY2"));
        V4l2Backend backend = new V4l2Backend(gst, dev);
        JpegFrames frames = JpegFrames.collect(sink -> backend.start(request("", 320, 240, Flip.NONE), sink));
        // Still 4:2:2 as the source made it: not decoded and encoded again (that would give 4:2:0).
        frames.check(320, 240, JpegFrames.SAMPLING_422);
        assertEquals(List.of("v4l2src device=" + dev.resolve("video0")), gst.probed);
        assertEquals("v4l2src device=" + dev.resolve("video0") + " ! image/jpeg,width=320,height=240,framerate=15/1 ! "
                + "appsink name=sink max-buffers=2 drop=true sync=false", gst.started.get(0));
    }

    @Test
    void encodesRawVideoTo420AndRotationSwapsTheSize() throws Exception {
        nodes("video0", "video1");
        StandIn gst = new StandIn(CAMERA, "videotestsrc is-live=true pattern=ball");
        V4l2Backend backend = new V4l2Backend(gst, dev);
        JpegFrames.collect(sink -> backend.start(request("1", 320, 240, Flip.ROTATE_90), sink))
                .check(240, 320, JpegFrames.SAMPLING_420);
        JpegFrames.collect(sink -> backend.start(request("1", 320, 240, Flip.HORIZONTAL), sink))
                .check(320, 240, JpegFrames.SAMPLING_420);
        assertTrue(gst.started.get(0).startsWith("v4l2src device=" + dev.resolve("video1")
                + " ! video/x-raw,format=YUY2,width=320,height=240,framerate=15/1 ! queue"), gst.started.get(0));
        assertTrue(gst.started.get(0).contains("jpegenc quality=80"), gst.started.get(0));
    }

    @Test
    void decodesTheDevicesJpegWhenAFlipNeedsRawAndThereIsNoneAtThatSize() throws Exception {
        nodes("video0");
        StandIn gst = new StandIn(CAMERA, jpegSource(640, 360, "YUY2"));
        V4l2Backend backend = new V4l2Backend(gst, dev);
        JpegFrames.collect(sink -> backend.start(request("", 640, 360, Flip.ROTATE_270), sink))
                .check(360, 640, JpegFrames.SAMPLING_420);
        assertTrue(gst.started.get(0).contains("! jpegdec ! videoflip video-direction=90l !"), gst.started.get(0));
    }

    @Test
    void passesA420SourceThroughAs420() throws Exception {
        nodes("video0");
        V4l2Backend backend = new V4l2Backend(new StandIn(CAMERA, jpegSource(320, 240, "I420")), dev);
        JpegFrames.collect(sink -> backend.start(request("", 320, 240, Flip.NONE), sink))
                .check(320, 240, JpegFrames.SAMPLING_420);
    }

    @Test
    void aMissingDeviceIsNamedWithTheOnesThatExist() throws IOException {
        nodes("video0", "video10", "video2", "media0");
        V4l2Backend backend = new V4l2Backend(GST, dev);
        CaptureException e = assertThrows(CaptureException.class,
                () -> backend.start(request("3", 640, 480, Flip.NONE), new SourceStandIn.NoFrames()));
        assertEquals("v4l2: device " + dev.resolve("video3") + " does not exist; existing: " + dev.resolve("video0")
                + ", " + dev.resolve("video2") + ", " + dev.resolve("video10"), e.getMessage());
        Path empty = Files.createDirectory(dev.resolve("empty"));
        CaptureException none = assertThrows(CaptureException.class, () -> new V4l2Backend(GST, empty)
                .start(request("", 640, 480, Flip.NONE), new SourceStandIn.NoFrames()));
        assertEquals("v4l2: device " + empty.resolve("video0") + " does not exist; there is no V4L2 device ("
                + empty.resolve("video") + "* does not exist)", none.getMessage());
    }

    @Test
    void reportsWhatGStreamerSaysOfSomethingThatIsNoDevice() throws IOException {
        nodes("video0"); // a plain file
        CaptureException e = assertThrows(CaptureException.class,
                () -> new V4l2Backend(GST, dev).start(request("", 640, 480, Flip.NONE), new SourceStandIn.NoFrames()));
        assertTrue(e.getMessage().startsWith("gstreamer: cannot open \"v4l2src device=" + dev.resolve("video0")),
                e.getMessage());
        assertTrue(e.getMessage().contains(dev.resolve("video0").toString() + "'"), e.getMessage());
    }

    @Test
    void readsDeviceNamesAndNumbers() throws CaptureException {
        V4l2Backend backend = new V4l2Backend(GST, Path.of("/dev"));
        assertEquals(Path.of("/dev/video0"), backend.device(""));
        assertEquals(Path.of("/dev/video2"), backend.device("2"));
        assertEquals(Path.of("/dev/video0"), backend.device("00"));
        String byId = "/dev/v4l/by-id/usb-cam-video-index0";
        assertEquals(Path.of(byId), backend.device(byId));
        CaptureException e = assertThrows(CaptureException.class, () -> backend.device("webcam"));
        assertEquals("v4l2: device \"webcam\" is not supported; it must be a device path such as /dev/video0 or its "
                + "number (0)", e.getMessage());
    }

    @Test
    void isNotAvailableOnThisMachineWithoutADevice() throws IOException {
        assumeTrue(noVideoDevice(), "this machine has a /dev/video* device");
        Availability a = new V4l2Backend(GST).availability();
        assertFalse(a.available());
        assertEquals("no V4L2 device (/dev/video* does not exist)", a.reason());
    }

    @Test
    void isAvailableWithADevice() throws IOException {
        nodes("video0", "video1");
        Availability a = new V4l2Backend(GST, dev).availability();
        assertTrue(a.available(), a.reason());
        assertTrue(a.reason().matches("GStreamer 1\\.[0-9.]+: " + dev.resolve("video0") + ", " + dev.resolve("video1")
                + "; MJPEG passed through, raw video encoded by jpegenc"), a.reason());
    }

    @Test
    void reportsMissingGStreamerAndV4l2src() throws IOException {
        nodes("video0");
        assertEquals("GStreamer not installed: libgstreamer-1.0 not found", new V4l2Backend(new Fake(
                Availability.no("GStreamer not installed: libgstreamer-1.0 not found"), List.of()), dev)
                .availability().reason());
        Availability noSource = new V4l2Backend(new Fake(Availability.yes("GStreamer 1.22.0"), List.of("v4l2src")),
                dev).availability();
        assertFalse(noSource.available());
        assertEquals("v4l2src element not installed", noSource.reason());
        CaptureException e = assertThrows(CaptureException.class, () -> new V4l2Backend(new Fake(
                Availability.yes("GStreamer 1.22.0"), List.of("v4l2src")), dev)
                .start(request("", 640, 480, Flip.NONE), new SourceStandIn.NoFrames()));
        assertEquals("v4l2: v4l2src element not installed", e.getMessage());
    }

    @Test
    void refusesWhenAnElementTheChosenWayNeedsIsMissing() throws IOException {
        nodes("video0");
        Fake noDecoder = new Fake(Availability.yes("GStreamer 1.22.0"), List.of("jpegdec"), CAMERA);
        CaptureException e = assertThrows(CaptureException.class, () -> new V4l2Backend(noDecoder, dev)
                .start(request("", 640, 360, Flip.VERTICAL), new SourceStandIn.NoFrames()));
        assertEquals("v4l2: MJPEG 640x360@15 from " + dev.resolve("video0") + " needs the jpegdec element, which is "
                + "not installed", e.getMessage());
    }

    @Test
    void choosesTheHardwareEncoderWhenItIsInstalled() throws Exception {
        nodes("video0");
        StandIn gst = new StandIn(CAMERA, "videotestsrc is-live=true", List.of("v4l2jpegenc"));
        assertTrue(new V4l2Backend(gst, dev).availability().reason().endsWith("raw video encoded by v4l2jpegenc"));
        // The stand-in records the description; v4l2jpegenc does not exist here, so it cannot run.
        assertThrows(CaptureException.class,
                () -> new V4l2Backend(gst, dev).start(request("", 320, 240, Flip.ROTATE_180), new SourceStandIn.NoFrames()));
        assertTrue(gst.started.get(0).endsWith("videoflip video-direction=180 ! videoconvert ! "
                + "video/x-raw,format=I420 ! v4l2jpegenc extra-controls=\"controls,compression_quality=80\" ! "
                + "appsink name=sink max-buffers=2 drop=true sync=false"), gst.started.get(0));
    }

    private static boolean noVideoDevice() throws IOException {
        try (Stream<Path> entries = Files.list(Path.of("/dev"))) {
            return entries.noneMatch(p -> p.getFileName().toString().matches("video[0-9]+"));
        }
    }

    /** The real GStreamer, but with the device's caps given and v4l2src replaced by {@code testSource}. */
    private static final class StandIn implements GStreamer {
        final List<String> probed = new CopyOnWriteArrayList<>();
        final List<String> started = new CopyOnWriteArrayList<>();
        private final List<String> offered;
        private final String testSource;
        private final List<String> alsoInstalled;

        StandIn(List<String> offered, String testSource) {
            this(offered, testSource, List.of());
        }

        StandIn(List<String> offered, String testSource, List<String> alsoInstalled) {
            this.offered = offered;
            this.testSource = testSource;
            this.alsoInstalled = alsoInstalled;
        }

        @Override
        public Availability availability() {
            return GST.availability();
        }

        @Override
        public boolean hasElement(String factoryName) {
            return alsoInstalled.contains(factoryName) || GST.hasElement(factoryName);
        }

        @Override
        public List<String> sourceCaps(String source) {
            probed.add(source);
            return offered;
        }

        @Override
        public Capture start(String camera, String description, FrameSink sink) throws CaptureException {
            started.add(description);
            String source = probed.get(probed.size() - 1);
            assertTrue(description.startsWith(source + " ! "), description);
            return GST.start(camera, testSource + description.substring(source.length()), sink);
        }
    }

    private record Fake(Availability availability, List<String> missing, List<String> offered) implements GStreamer {
        Fake(Availability availability, List<String> missing) {
            this(availability, missing, List.of());
        }

        @Override
        public boolean hasElement(String factoryName) {
            return availability.available() && !missing.contains(factoryName) && !factoryName.equals("v4l2jpegenc");
        }

        @Override
        public List<String> sourceCaps(String source) {
            return offered;
        }

        @Override
        public Capture start(String camera, String description, FrameSink sink) throws CaptureException {
            throw new CaptureException("fake");
        }
    }
}
