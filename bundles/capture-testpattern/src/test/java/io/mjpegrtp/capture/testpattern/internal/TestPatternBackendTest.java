package io.mjpegrtp.capture.testpattern.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mjpegrtp.api.Capture;
import io.mjpegrtp.api.CaptureException;
import io.mjpegrtp.api.CaptureRequest;
import io.mjpegrtp.api.Flip;
import io.mjpegrtp.api.Frame;
import io.mjpegrtp.api.FrameSink;

import java.nio.ByteBuffer;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

class TestPatternBackendTest {
    private final TestPatternBackend backend = new TestPatternBackend();

    @Test
    void isAlwaysAvailable() {
        assertTrue(backend.availability().available());
        assertEquals("pure Java, always available", backend.availability().reason());
    }

    @Test
    void deliversFramesAtRoughlyTheFrameRateAndStopsOnClose() throws Exception {
        Sink sink = new Sink();
        Capture capture = backend.start(request(320, 240, Flip.NONE), sink);
        Thread.sleep(500);
        capture.close();
        int count = sink.frames.size();
        assertTrue(count >= 5, "frames in 0.5 s at 30 fps: " + count);
        assertTrue(count <= 30, "frames in 0.5 s at 30 fps: " + count);
        assertFalse(((TestPatternCapture) capture).isAlive(), "thread stopped");
        Thread.sleep(100);
        assertEquals(count, sink.frames.size(), "no frames after close");
        assertTrue(sink.failures.isEmpty());

        assertEquals("testpattern-cam0", sink.threadNames.get(0));
        long previous = Long.MIN_VALUE;
        for (int i = 0; i < sink.frames.size(); i++) {
            Frame f = sink.frames.get(i);
            assertEquals(i, f.number());
            assertTrue(f.captureTimeNanos() > previous, "capture times increase");
            previous = f.captureTimeNanos();
        }
        Decoder.Rgb first = Decoder.IMAGEIO.decode(sink.bytes.get(0));
        assertEquals(320, first.width());
        assertEquals(240, first.height());
        capture.close(); // a second close is harmless
    }

    @Test
    void rotationSwapsTheProducedSize() throws Exception {
        Sink sink = new Sink();
        try (Capture capture = backend.start(request(320, 240, Flip.ROTATE_90), sink)) {
            sink.awaitFrames(1);
        }
        Decoder.Rgb picture = Decoder.IMAGEIO.decode(sink.bytes.get(0));
        assertEquals(240, picture.width());
        assertEquals(320, picture.height());
    }

    @Test
    void aFailingSinkStopsTheCaptureWithAReport() throws Exception {
        Sink sink = new Sink() {
            @Override
            public void frame(Frame frame) {
                super.frame(frame);
                throw new IllegalStateException("boom");
            }
        };
        Capture capture = backend.start(request(64, 48, Flip.NONE), sink);
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (sink.failures.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        Thread.sleep(100);
        assertEquals(1, sink.failures.size());
        assertTrue(sink.failures.get(0).contains("boom"), sink.failures.get(0));
        assertEquals(1, sink.frames.size());
        assertFalse(((TestPatternCapture) capture).isAlive());
        capture.close();
    }

    @Test
    void releasedArraysAreReused() throws Exception {
        Set<byte[]> arrays = Collections.newSetFromMap(new IdentityHashMap<>());
        List<String> problems = new CopyOnWriteArrayList<>();
        AtomicInteger n = new AtomicInteger();
        Sink sink = new Sink() {
            @Override
            public void frame(Frame frame) {
                ByteBuffer b = frame.sharedData();
                if ((b.get(b.position()) & 0xFF) != 0xFF || (b.get(b.limit() - 1) & 0xFF) != 0xD9) {
                    problems.add("frame " + frame.number() + " is not SOI ... EOI");
                }
                synchronized (arrays) {
                    arrays.add(b.array());
                }
                n.incrementAndGet();
                frame.release();
                frame.release(); // a double release must not put the array in the pool twice
            }
        };
        try (Capture capture = backend.start(new CaptureRequest("cam1", "", 64, 48, 200, 80, Flip.NONE), sink)) {
            while (n.get() < 20) {
                Thread.sleep(5);
            }
        }
        assertEquals(List.of(), problems);
        assertTrue(arrays.size() < 10, "released arrays are reused: " + arrays.size() + " arrays for 20 frames");
    }

    @Test
    void rejectsImpossibleRequests() {
        assertThrows(CaptureException.class, () -> backend.start(request(0, 240, Flip.NONE), new Sink()));
        assertThrows(CaptureException.class,
                () -> backend.start(new CaptureRequest("c", "", 320, 240, 0, 85, Flip.NONE), new Sink()));
        CaptureException e = assertThrows(CaptureException.class,
                () -> backend.start(new CaptureRequest("c", "", 320, 240, 30, 101, Flip.NONE), new Sink()));
        assertTrue(e.getMessage().contains("quality"), e.getMessage());
    }

    private static CaptureRequest request(int w, int h, Flip flip) {
        return new CaptureRequest("cam0", "ignored", w, h, 30, 85, flip);
    }

    static class Sink implements FrameSink {
        final List<Frame> frames = new CopyOnWriteArrayList<>();
        final List<byte[]> bytes = new CopyOnWriteArrayList<>();
        final List<String> threadNames = new CopyOnWriteArrayList<>();
        final List<String> failures = new CopyOnWriteArrayList<>();

        @Override
        public void frame(Frame frame) {
            ByteBuffer data = frame.data();
            byte[] copy = new byte[data.remaining()];
            data.get(copy);
            bytes.add(copy);
            frames.add(frame);
            threadNames.add(Thread.currentThread().getName());
        }

        @Override
        public void frameRejected(String reason) {
            throw new AssertionError("unexpected rejection: " + reason);
        }

        @Override
        public void failed(String reason, Throwable cause) {
            failures.add(reason);
        }

        void awaitFrames(int n) throws InterruptedException {
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (frames.size() < n && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
        }
    }
}
