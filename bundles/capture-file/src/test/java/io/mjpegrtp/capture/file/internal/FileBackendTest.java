package io.mjpegrtp.capture.file.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
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
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileBackendTest {
    @TempDir
    Path dir;

    private final FileBackend backend = new FileBackend();

    @Test
    void isAlwaysAvailable() {
        assertTrue(backend.availability().available());
    }

    @Test
    void replaysGoodPicturesInNameOrderAndRejectsEachBadOneOnce() throws Exception {
        byte[] a = Jpegs.picture(64, 48, 1);
        byte[] b = Jpegs.picture(64, 48, 2);
        byte[] c = Jpegs.picture(64, 48, 3);
        Files.write(dir.resolve("c.jpg"), c);
        Files.write(dir.resolve("a.jpg"), a);
        Files.write(dir.resolve("b.JPEG"), b);
        Files.writeString(dir.resolve("d.jpg"), "this is a text file\n");
        Files.write(dir.resolve("e.jpg"), Jpegs.truncated(Jpegs.picture(64, 48, 4)));
        Files.writeString(dir.resolve("notes.txt"), "not a picture, not a .jpg: ignored");

        Sink sink = new Sink();
        Capture capture = backend.start(request(dir.toString(), 100), sink);
        sink.awaitFrames(12);
        capture.close();
        assertFalse(((FileCapture) capture).isAlive(), "thread stopped");

        assertTrue(sink.bytes.size() >= 12, "frames: " + sink.bytes.size());
        byte[][] expected = { a, b, c };
        for (int i = 0; i < sink.bytes.size(); i++) {
            assertArrayEquals(expected[i % 3], sink.bytes.get(i), "frame " + i + " in name order");
        }
        assertEquals(2, sink.rejections.size(), "each bad file once, after " + sink.bytes.size() + " frames");
        assertTrue(sink.rejections.get(0).startsWith("d.jpg: "), sink.rejections.get(0));
        assertTrue(sink.rejections.get(1).startsWith("e.jpg: truncated"), sink.rejections.get(1));
        for (String r : sink.rejections) {
            assertTrue(r.endsWith("; expected a baseline JPEG (SOI ... EOI)"), r);
        }
        assertEquals("file-cam0", sink.threadNames.get(0));
        assertTrue(sink.failures.isEmpty());
        long previous = Long.MIN_VALUE;
        for (Frame f : sink.frames) {
            assertTrue(f.captureTimeNanos() > previous);
            previous = f.captureTimeNanos();
        }
        int count = sink.frames.size();
        Thread.sleep(50);
        assertEquals(count, sink.frames.size(), "no frames after close");
    }

    @Test
    void replaysAnMjpegFileAtTheFrameRate() throws Exception {
        byte[] a = Jpegs.picture(64, 48, 1);
        byte[] b = Jpegs.withExifThumbnail(Jpegs.picture(64, 48, 2), Jpegs.picture(16, 16, 3));
        Path file = dir.resolve("clip.mjpeg");
        Files.write(file, Jpegs.concat(a, b));
        Sink sink = new Sink();
        try (Capture capture = backend.start(request(file.toString(), 30), sink)) {
            Thread.sleep(500);
        }
        assertTrue(sink.bytes.size() >= 5 && sink.bytes.size() <= 30, "frames in 0.5 s at 30 fps: " + sink.bytes.size());
        assertArrayEquals(a, sink.bytes.get(0));
        assertArrayEquals(b, sink.bytes.get(1));
        assertArrayEquals(a, sink.bytes.get(2));
        assertTrue(sink.rejections.isEmpty());
    }

    @Test
    void framesAreReadOnlyViewsOfTheLoadedBytes() throws Exception {
        Files.write(dir.resolve("a.jpg"), Jpegs.picture(64, 48, 1));
        Sink sink = new Sink();
        try (Capture capture = backend.start(request(dir.toString(), 200), sink)) {
            sink.awaitFrames(2);
        }
        ByteBuffer shared = sink.frames.get(0).sharedData();
        assertTrue(shared.isReadOnly());
        shared.position(10); // a careless reader does not disturb the next frame
        assertEquals(0, sink.frames.get(1).sharedData().position());
    }

    @Test
    void aMissingPathFailsTheStart() {
        CaptureException e = assertThrows(CaptureException.class,
                () -> backend.start(request("/x/y", 30), new Sink()));
        assertEquals("file backend: /x/y does not exist; device must be a .jpg file, a folder of .jpg files, "
                + "or a .mjpeg file", e.getMessage());
    }

    private static CaptureRequest request(String device, int framerate) {
        return new CaptureRequest("cam0", device, 1280, 720, framerate, 85, Flip.NONE);
    }

    static class Sink implements FrameSink {
        final List<Frame> frames = new CopyOnWriteArrayList<>();
        final List<byte[]> bytes = new CopyOnWriteArrayList<>();
        final List<String> rejections = new CopyOnWriteArrayList<>();
        final List<String> failures = new CopyOnWriteArrayList<>();
        final List<String> threadNames = new CopyOnWriteArrayList<>();

        @Override
        public void frame(Frame frame) {
            ByteBuffer data = frame.data();
            byte[] copy = new byte[data.remaining()];
            data.get(copy);
            bytes.add(copy);
            frames.add(frame);
            threadNames.add(Thread.currentThread().getName());
            frame.release();
        }

        @Override
        public void frameRejected(String reason) {
            rejections.add(reason);
        }

        @Override
        public void failed(String reason, Throwable cause) {
            failures.add(reason);
        }

        void awaitFrames(int n) throws InterruptedException {
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (frames.size() < n && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
        }
    }
}
