package io.mjpegrtp.capture.testpattern.internal;

import io.mjpegrtp.api.Capture;
import io.mjpegrtp.api.CaptureRequest;
import io.mjpegrtp.api.Frame;
import io.mjpegrtp.api.FrameSink;

import java.nio.ByteBuffer;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One running test pattern: a daemon thread that draws, encodes and emits frames on an absolute schedule. */
final class TestPatternCapture implements Capture {
    private static final Logger LOG = LoggerFactory.getLogger(TestPatternCapture.class);
    private static final long JOIN_MILLIS = 2000;
    /** Output arrays kept for reuse; a camera holds only a few frames at a time. */
    private static final int POOL_SIZE = 4;

    private final CaptureRequest request;
    private final FrameSink sink;
    private final TestPattern pattern;
    private final ArrayBlockingQueue<byte[]> pool = new ArrayBlockingQueue<>(POOL_SIZE);
    private final Thread thread;
    private volatile boolean running = true;
    private volatile long frames;

    TestPatternCapture(CaptureRequest request, FrameSink sink) {
        this.request = request;
        this.sink = sink;
        this.pattern = new TestPattern(request.camera(), request.width(), request.height(), request.quality(),
                request.flip());
        this.thread = new Thread(this::run, "testpattern-" + request.camera());
        thread.setDaemon(true);
    }

    void start() {
        thread.start();
        LOG.info("testpattern: camera {} started, {}x{} at {} fps, quality {}, flip {}", request.camera(),
                pattern.width(), pattern.height(), request.framerate(), request.quality(),
                request.flip().configName());
    }

    private void run() {
        long period = 1_000_000_000L / request.framerate();
        long next = System.nanoTime();
        boolean behindReported = false;
        try {
            while (running) {
                long wait = next - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                    continue; // re-check running and the clock: park may return early
                }
                long captureTime = System.nanoTime();
                int length = pattern.render(frames, System.currentTimeMillis());
                emit(length, captureTime, frames++);
                next += period;
                long late = System.nanoTime() - next;
                if (late > period) {
                    // Skip the missed slots instead of bursting to catch up; keep the schedule's phase.
                    next += (late / period) * period;
                    // The first frames run before the JIT has compiled the encoder: not worth a warning.
                    if (!behindReported && frames > 150) {
                        behindReported = true;
                        LOG.warn("testpattern: camera {} cannot keep up with {} fps at {}x{}; frames are skipped",
                                request.camera(), request.framerate(), pattern.width(), pattern.height());
                    }
                }
            }
        } catch (Throwable t) {
            if (running) {
                running = false;
                LOG.error("testpattern: camera {} stopped after {} frames: {}", request.camera(), frames,
                        t.toString());
                try {
                    sink.failed("testpattern: " + t, t);
                } catch (RuntimeException e) {
                    LOG.warn("testpattern: camera {}: the sink failed while reporting a failure", request.camera(), e);
                }
            }
        }
    }

    private void emit(int length, long captureTime, long number) {
        byte[] array = pool.poll();
        if (array == null || array.length < length) {
            // Head room so a slightly bigger next frame still fits the pooled array.
            array = new byte[length + length / 4];
        }
        System.arraycopy(pattern.buffer(), 0, array, 0, length);
        sink.frame(new Frame(ByteBuffer.wrap(array, 0, length), captureTime, number, new Release(array, pool)));
    }

    @Override
    public void close() {
        if (!running && !thread.isAlive()) {
            return;
        }
        running = false;
        LockSupport.unpark(thread);
        if (Thread.currentThread() != thread) {
            try {
                thread.join(JOIN_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (thread.isAlive()) {
                LOG.warn("testpattern: camera {}: capture thread did not stop within {} ms", request.camera(),
                        JOIN_MILLIS);
            }
        }
        LOG.info("testpattern: camera {} stopped after {} frames", request.camera(), frames);
    }

    boolean isAlive() {
        return thread.isAlive();
    }

    /** Gives a frame's array back to the pool once; a second release is ignored so no array is shared twice. */
    private static final class Release extends AtomicBoolean implements Runnable {
        private static final long serialVersionUID = 1L;
        private final transient byte[] array;
        private final transient ArrayBlockingQueue<byte[]> pool;

        Release(byte[] array, ArrayBlockingQueue<byte[]> pool) {
            this.array = array;
            this.pool = pool;
        }

        @Override
        public void run() {
            if (compareAndSet(false, true)) {
                pool.offer(array);
            }
        }
    }
}
