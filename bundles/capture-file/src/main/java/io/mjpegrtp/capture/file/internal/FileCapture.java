package io.mjpegrtp.capture.file.internal;

import io.mjpegrtp.api.Capture;
import io.mjpegrtp.api.Frame;
import io.mjpegrtp.api.FrameSink;

import java.util.List;
import java.util.concurrent.locks.LockSupport;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Replays pictures in a loop on a daemon thread, one per frame interval on an absolute schedule. A bad picture is
 * reported to the sink the first time it comes up and skipped without taking a frame slot.
 */
final class FileCapture implements Capture {
    private static final Logger LOG = LoggerFactory.getLogger(FileCapture.class);
    private static final long JOIN_MILLIS = 2000;

    private final String camera;
    private final List<Picture> pictures;
    private final long periodNanos;
    private final FrameSink sink;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile long frames;

    FileCapture(String camera, List<Picture> pictures, int framerate, FrameSink sink) {
        this.camera = camera;
        this.pictures = List.copyOf(pictures);
        this.periodNanos = 1_000_000_000L / framerate;
        this.sink = sink;
        this.thread = new Thread(this::run, "file-" + camera);
        thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    private void run() {
        long next = System.nanoTime();
        int index = 0;
        try {
            while (running) {
                Picture picture = pictures.get(index);
                index = (index + 1) % pictures.size();
                if (!picture.isGood()) {
                    if (picture.markReported()) {
                        sink.frameRejected(picture.rejection());
                    }
                    continue;
                }
                if (!waitUntil(next)) {
                    break;
                }
                long captureTime = System.nanoTime();
                sink.frame(new Frame(picture.view(), captureTime, frames++, null, picture.name()));
                next += periodNanos;
                long late = System.nanoTime() - next;
                if (late > periodNanos) {
                    // Skip missed slots rather than bursting to catch up.
                    next += (late / periodNanos) * periodNanos;
                }
            }
        } catch (Throwable t) {
            if (running) {
                running = false;
                LOG.error("file: camera {} stopped after {} frames: {}", camera, frames, t.toString());
                try {
                    sink.failed("file: " + t, t);
                } catch (RuntimeException e) {
                    LOG.warn("file: camera {}: the sink failed while reporting a failure", camera, e);
                }
            }
        }
    }

    /** Parks until the deadline; false when the capture was closed meanwhile. */
    private boolean waitUntil(long deadline) {
        while (running) {
            long wait = deadline - System.nanoTime();
            if (wait <= 0) {
                return true;
            }
            LockSupport.parkNanos(wait);
        }
        return false;
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
                LOG.warn("file: camera {}: replay thread did not stop within {} ms", camera, JOIN_MILLIS);
            }
        }
        LOG.info("file: camera {} stopped after {} frames", camera, frames);
    }

    boolean isAlive() {
        return thread.isAlive();
    }
}
