package io.mjpegrtp.gstreamer.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mjpegrtp.api.Availability;
import io.mjpegrtp.api.CaptureException;
import io.mjpegrtp.api.Frame;
import io.mjpegrtp.api.Flip;
import io.mjpegrtp.api.FrameSink;
import io.mjpegrtp.gstreamer.Pipelines;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

/** Runs GStreamer for real (plain JVM, no OSGi); needs gstreamer1.0-plugins-base/-good. */
class GStreamerServiceTest {
    private final GStreamerService gst = new GStreamerService();

    @Test
    void initialisesOnceAndReportsVersion() {
        Availability a = gst.availability();
        assertTrue(a.available(), a.reason());
        assertTrue(a.reason().startsWith("GStreamer 1."), a.reason());
        assertEquals(a, new GStreamerService().availability());
    }

    @Test
    void reportsInstalledElements() {
        assertTrue(gst.hasElement("videotestsrc"));
        assertTrue(gst.hasElement("jpegenc"));
        assertTrue(gst.hasElement("appsink"));
        assertFalse(gst.hasElement("no-such-element-here"));
        assertEquals(List.of("no-such-element-here"), gst.missingElements("videotestsrc", "no-such-element-here"));
    }

    @Test
    void rejectsBadDescriptions() {
        CaptureException parse = assertThrows(CaptureException.class,
                () -> gst.start("t", "videotestsrc ! no-such-element ! appsink name=sink", new Sink()));
        assertTrue(parse.getMessage().contains("cannot parse"), parse.getMessage());
        CaptureException cannotStart = assertThrows(CaptureException.class,
                () -> gst.start("t", "filesrc location=/nonexistent/x.mjpeg ! appsink name=sink", new Sink()));
        assertTrue(cannotStart.getMessage().contains("cannot start: filesrc0: ")
                && cannotStart.getMessage().contains("/nonexistent/x.mjpeg"), cannotStart.getMessage());
        CaptureException noSink = assertThrows(CaptureException.class,
                () -> gst.start("t", "videotestsrc ! fakesink name=sink", new Sink()));
        assertTrue(noSink.getMessage().contains("no appsink named sink"), noSink.getMessage());
    }

    @Test
    void deliversMappedBuffersAndReportsEndOfStreamOnce() throws Exception {
        Sink sink = new Sink();
        AppSinkCapture capture = (AppSinkCapture) gst.start("eos",
                "videotestsrc num-buffers=5 ! video/x-raw,width=64,height=48,format=I420 ! jpegenc ! "
                        + "appsink name=sink sync=false",
                sink);
        assertTrue(sink.failedLatch.await(10, TimeUnit.SECONDS), "end of stream reported");
        Thread.sleep(200);
        assertEquals(5, sink.frames.get());
        assertEquals(1, sink.failures.size());
        assertTrue(sink.failures.get(0).contains("end of stream"), sink.failures.get(0));
        assertTrue(sink.allDirect, "frames point into mapped (direct) memory");
        assertEquals(0, capture.outstandingFrames());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (capture.threadAlive() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertFalse(capture.threadAlive());
        capture.close(); // again, after the capture closed itself: harmless
    }

    @Test
    void reportsBusErrors() throws Exception {
        Sink sink = new Sink();
        // identity posts an error on the bus after three buffers went through.
        var capture = gst.start("err",
                "videotestsrc is-live=true ! video/x-raw,width=64,height=48,format=I420 ! identity error-after=3 ! "
                        + "jpegenc ! appsink name=sink",
                sink);
        assertTrue(sink.failedLatch.await(10, TimeUnit.SECONDS), "error reported");
        assertEquals(1, sink.failures.size());
        assertTrue(sink.failures.get(0).startsWith("gstreamer: identity0: "), sink.failures.get(0));
        assertTrue(sink.frames.get() <= 3, "frames before the error: " + sink.frames.get());
        capture.close();
        Thread.sleep(200);
        assertEquals(1, sink.failures.size(), "reported once");
    }

    @Test
    void captureTimeIsOnTheNanoTimeClock() throws Exception {
        AtomicReference<String> problem = new AtomicReference<>();
        CountDownLatch got = new CountDownLatch(10);
        FrameSink sink = new Sink() {
            @Override
            public void frame(Frame frame) {
                long age = System.nanoTime() - frame.captureTimeNanos();
                if (age < 0 || age > TimeUnit.MILLISECONDS.toNanos(500)) {
                    problem.set("capture time " + age + " ns before delivery");
                }
                frame.release();
                got.countDown();
            }
        };
        try (var capture = gst.start("clock", "videotestsrc is-live=true ! video/x-raw,width=64,height=48,"
                + "framerate=30/1,format=I420 ! jpegenc ! appsink name=sink max-buffers=2 drop=true sync=false",
                sink)) {
            assertTrue(got.await(10, TimeUnit.SECONDS));
        }
        assertEquals(null, problem.get());
    }

    @Test
    void repeatedStartAndCloseLeavesNoThreadsBehind() throws Exception {
        String description = "videotestsrc is-live=true ! video/x-raw,width=64,height=48,framerate=60/1,format=I420 ! "
                + "jpegenc ! appsink name=sink max-buffers=2 drop=true sync=false";
        for (int i = 0; i < 3; i++) { // warm up: the executor thread, JNA's attached streaming threads
            try (var c = gst.start("warm", description, new Sink())) {
                Thread.sleep(50);
            }
        }
        int before = Thread.activeCount();
        for (int i = 0; i < 20; i++) {
            Sink sink = new Sink();
            AppSinkCapture c = (AppSinkCapture) gst.start("cycle", description, sink);
            Thread.sleep(40);
            c.close();
            assertFalse(c.threadAlive());
            assertEquals(0, c.outstandingFrames());
            assertTrue(sink.failures.isEmpty(), sink.failures.toString());
        }
        Thread.sleep(500);
        int after = Thread.activeCount();
        assertTrue(after <= before + 2, "threads before " + before + ", after 20 cycles " + after);
    }

    /** Each flip changes the picture (GStreamer 1.22 ignores videoflip's method property; video-direction works). */
    @Test
    void everyFlipIsApplied() throws Exception {
        java.util.Map<String, Flip> seen = new java.util.HashMap<>();
        for (Flip flip : Flip.values()) {
            String description = "videotestsrc num-buffers=1 pattern=smpte ! video/x-raw,width=64,height=64 ! "
                    + Pipelines.videoflip(flip).map(f -> f + " ! ").orElse("") + Pipelines.jpegEncoder(90) + " ! "
                    + Pipelines.APPSINK;
            AtomicReference<byte[]> jpeg = new AtomicReference<>();
            Sink sink = new Sink() {
                @Override
                public void frame(Frame frame) {
                    ByteBuffer d = frame.data();
                    byte[] b = new byte[d.remaining()];
                    d.get(b);
                    jpeg.set(b);
                    frame.release();
                }
            };
            try (var c = gst.start("flip", description, sink)) {
                assertTrue(sink.failedLatch.await(10, TimeUnit.SECONDS), "end of stream");
            }
            Flip same = seen.put(java.util.HexFormat.of().formatHex(jpeg.get()), flip);
            assertEquals(null, same, flip + " gives the same picture as " + same);
        }
    }

    static class Sink implements FrameSink {
        final AtomicInteger frames = new AtomicInteger();
        final List<String> failures = new CopyOnWriteArrayList<>();
        final CountDownLatch failedLatch = new CountDownLatch(1);
        volatile boolean allDirect = true;

        @Override
        public void frame(Frame frame) {
            ByteBuffer data = frame.sharedData();
            assertNotNull(data);
            allDirect &= data.isDirect();
            assertEquals((byte) 0xFF, data.get(data.position()));
            assertEquals((byte) 0xD8, data.get(data.position() + 1));
            frames.incrementAndGet();
            frame.release();
            frame.release(); // a second release must be harmless
        }

        @Override
        public void frameRejected(String reason) {
        }

        @Override
        public void failed(String reason, Throwable cause) {
            failures.add(reason);
            failedLatch.countDown();
        }
    }
}
