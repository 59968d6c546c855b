package io.mjpegrtp.capture.testsupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mjpegrtp.api.Capture;
import io.mjpegrtp.api.Frame;
import io.mjpegrtp.api.FrameSink;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Collects what a capture delivers: the start-of-frame of each JPEG (marker, size, sampling), until enough frames
 * arrived. Waits for a number of frames, never for a time: the timeout only keeps a broken pipeline from hanging.
 */
public final class JpegFrames implements FrameSink {
    public static final String SAMPLING_420 = "2x2 1x1 1x1";
    public static final String SAMPLING_422 = "2x1 1x1 1x1";
    private static final int FRAMES = 5;

    public final List<Sof> frames = new CopyOnWriteArrayList<>();
    public final List<String> failures = new CopyOnWriteArrayList<>();
    private final CountDownLatch enough = new CountDownLatch(FRAMES);

    /** Starts a capture with this sink, waits for {@value #FRAMES} frames, closes it. */
    public static JpegFrames collect(CaptureStarter starter) throws Exception {
        JpegFrames frames = new JpegFrames();
        Capture capture = starter.start(frames);
        try {
            assertTrue(frames.enough.await(20, TimeUnit.SECONDS),
                    "frames: " + frames.frames.size() + ", failures: " + frames.failures);
        } finally {
            capture.close();
        }
        assertTrue(frames.failures.isEmpty(), frames.failures.toString());
        return frames;
    }

    public interface CaptureStarter {
        Capture start(FrameSink sink) throws Exception;
    }

    @Override
    public void frame(Frame frame) {
        try {
            frames.add(Sof.parse(frame.data()));
        } catch (AssertionError | RuntimeException e) {
            failures.add("bad JPEG: " + e.getMessage());
        } finally {
            frame.release();
        }
        enough.countDown();
    }

    @Override
    public void frameRejected(String reason) {
        failures.add("rejected: " + reason);
    }

    @Override
    public void failed(String reason, Throwable cause) {
        failures.add(reason);
    }

    /** Every frame is baseline JPEG of this size and sampling. */
    public void check(int width, int height, String sampling) {
        assertFalse(frames.isEmpty());
        for (Sof sof : frames) {
            assertEquals(0xC0, sof.marker(), "baseline (SOF0)");
            assertEquals(width + "x" + height, sof.width() + "x" + sof.height());
            assertEquals(sampling, sof.sampling());
        }
    }

    /** The start-of-frame segment of a JPEG, which must end in EOI. */
    public record Sof(int marker, int width, int height, String sampling) {
        public static Sof parse(ByteBuffer b) {
            int p = b.position();
            if ((b.get(p) & 0xFF) != 0xFF || (b.get(p + 1) & 0xFF) != 0xD8) {
                throw new AssertionError("no SOI");
            }
            if ((b.get(b.limit() - 2) & 0xFF) != 0xFF || (b.get(b.limit() - 1) & 0xFF) != 0xD9) {
                throw new AssertionError("no EOI at the end");
            }
            p += 2;
            while (p + 4 <= b.limit()) {
                if ((b.get(p) & 0xFF) != 0xFF) {
                    throw new AssertionError("marker expected at " + p);
                }
                int marker = b.get(p + 1) & 0xFF;
                int length = ((b.get(p + 2) & 0xFF) << 8) | (b.get(p + 3) & 0xFF);
                if (marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC) {
                    int height = ((b.get(p + 5) & 0xFF) << 8) | (b.get(p + 6) & 0xFF);
                    int width = ((b.get(p + 7) & 0xFF) << 8) | (b.get(p + 8) & 0xFF);
                    int n = b.get(p + 9) & 0xFF;
                    List<String> s = new ArrayList<>();
                    for (int c = 0; c < n; c++) {
                        int hv = b.get(p + 11 + 3 * c) & 0xFF;
                        s.add((hv >> 4) + "x" + (hv & 0x0F));
                    }
                    return new Sof(marker, width, height, String.join(" ", s));
                }
                if (marker == 0xDA) {
                    break;
                }
                p += 2 + length;
            }
            throw new AssertionError("no SOF before the scan");
        }
    }
}
