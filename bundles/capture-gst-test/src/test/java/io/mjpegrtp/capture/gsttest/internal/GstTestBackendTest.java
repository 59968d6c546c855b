package io.mjpegrtp.capture.gsttest.internal;

import io.mjpegrtp.capture.testsupport.FakeGStreamer;
import io.mjpegrtp.capture.testsupport.JpegFrames;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mjpegrtp.api.Availability;
import io.mjpegrtp.api.Capture;
import io.mjpegrtp.api.CaptureException;
import io.mjpegrtp.api.CaptureRequest;
import io.mjpegrtp.api.Flip;
import io.mjpegrtp.api.Frame;
import io.mjpegrtp.api.FrameSink;
import io.mjpegrtp.gstreamer.GStreamer;
import io.mjpegrtp.gstreamer.internal.GStreamerService;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

/**
 * Runs the gst-test pipeline for real through the GStreamer helper, outside OSGi (gst1-java-core and JNA on the
 * class path); needs gstreamer1.0-plugins-base and -good.
 */
class GstTestBackendTest {
    private final GstTestBackend backend = new GstTestBackend(new GStreamerService());

    @Test
    void isAvailableHere() {
        Availability a = backend.availability();
        assertTrue(a.available(), a.reason());
    }

    @Test
    void producesBaseline420JpegsOfTheRequestedSizeAtTheFrameRate() throws Exception {
        Result r = run(new CaptureRequest("plain", "", 320, 240, 15, 85, Flip.NONE), 2000);
        r.check(320, 240, 15);
    }

    @Test
    void rotationSwapsWidthAndHeight() throws Exception {
        run(new CaptureRequest("rot90", "", 320, 240, 15, 85, Flip.ROTATE_90), 1000).check(240, 320, 15);
        run(new CaptureRequest("rot270", "", 320, 240, 15, 85, Flip.ROTATE_270), 1000).check(240, 320, 15);
        run(new CaptureRequest("flipv", "", 320, 240, 15, 85, Flip.VERTICAL), 1000).check(320, 240, 15);
    }

    @Test
    void reportsMissingGStreamerAndElements() throws Exception {
        GStreamer absent = new FakeGStreamer(Availability.no("GStreamer not installed: libgstreamer-1.0 not found"),
                List.of());
        assertEquals("GStreamer not installed: libgstreamer-1.0 not found",
                new GstTestBackend(absent).availability().reason());
        GStreamer noEncoder = new FakeGStreamer(Availability.yes("GStreamer 1.22.0"),
                List.of("videotestsrc", "jpegenc"));
        Availability a = new GstTestBackend(noEncoder).availability();
        assertFalse(a.available());
        assertEquals("videotestsrc/jpegenc element not installed", a.reason());
    }

    /** Captures for a while, keeps the last two frames past close() to show they stay valid until released. */
    private Result run(CaptureRequest request, long millis) throws Exception {
        Result r = new Result();
        Capture capture = backend.start(request, r);
        Thread.sleep(millis);
        capture.close();
        int atClose = r.frames.size();
        assertFalse(threadAlive("gst-" + request.camera()), "capture thread stopped");
        Thread.sleep(300);
        assertEquals(atClose, r.frames.size(), "no frame after close()");
        // Held frames still readable after close (the mapped buffer lives until released), then released.
        for (Frame f : r.held) {
            ByteBuffer d = f.sharedData();
            assertEquals((byte) 0xFF, d.get(d.limit() - 2));
            assertEquals((byte) 0xD9, d.get(d.limit() - 1));
            f.release();
        }
        assertTrue(r.failures.isEmpty(), r.failures.toString());
        return r;
    }

    private static boolean threadAlive(String name) {
        return Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getName().equals(name) && t.isAlive());
    }

    static final class Result implements FrameSink {
        final List<JpegFrames.Sof> frames = new CopyOnWriteArrayList<>();
        final List<Long> times = new CopyOnWriteArrayList<>();
        final List<String> failures = new CopyOnWriteArrayList<>();
        final List<Frame> held = new ArrayList<>();
        final AtomicInteger notDirect = new AtomicInteger();

        @Override
        public synchronized void frame(Frame frame) {
            ByteBuffer data = frame.sharedData();
            if (!data.isDirect()) {
                notDirect.incrementAndGet();
            }
            frames.add(JpegFrames.Sof.parse(frame.data()));
            times.add(frame.captureTimeNanos());
            held.add(frame);
            while (held.size() > 2) {
                held.remove(0).release();
            }
        }

        @Override
        public void frameRejected(String reason) {
            failures.add("rejected: " + reason);
        }

        @Override
        public void failed(String reason, Throwable cause) {
            failures.add(reason);
        }

        void check(int width, int height, int fps) {
            assertTrue(frames.size() >= 5, "frames: " + frames.size());
            assertEquals(0, notDirect.get(), "every frame is a mapped, direct buffer (no copy)");
            for (JpegFrames.Sof sof : frames) {
                assertEquals(0xC0, sof.marker(), "baseline (SOF0)");
                assertEquals(width + "x" + height, sof.width() + "x" + sof.height());
                assertEquals("2x2 1x1 1x1", sof.sampling(), "4:2:0");
            }
            // Capture times come from buffer timestamps: consecutive frames 1/fps apart (within 20%).
            double interval = (times.get(times.size() - 1) - times.get(0)) / (double) (times.size() - 1);
            double expected = TimeUnit.SECONDS.toNanos(1) / (double) fps;
            assertTrue(Math.abs(interval - expected) < 0.2 * expected,
                    "mean interval " + interval / 1e6 + " ms, expected " + expected / 1e6 + " ms");
            for (int i = 1; i < times.size(); i++) {
                assertTrue(times.get(i) > times.get(i - 1), "capture times increase");
            }
        }
    }
}
