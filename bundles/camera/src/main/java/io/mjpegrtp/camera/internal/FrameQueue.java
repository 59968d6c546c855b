package io.mjpegrtp.camera.internal;

import io.mjpegrtp.api.CameraCounters;
import io.mjpegrtp.api.Frame;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The hand-over between a capture thread and the camera's sending thread: bounded, and the newest frame wins,
 * because a late frame is worth less than a current one. Every frame that gives way is released and counted.
 */
final class FrameQueue {
    private final ArrayBlockingQueue<Frame> frames;
    private final CameraCounters counters;

    FrameQueue(int capacity, CameraCounters counters) {
        this.frames = new ArrayBlockingQueue<>(capacity);
        this.counters = counters;
    }

    void offer(Frame frame) {
        while (!frames.offer(frame)) {
            Frame oldest = frames.poll();
            if (oldest != null) {
                oldest.release();
                counters.frameDroppedQueueFull();
            }
        }
    }

    Frame poll(long timeout, TimeUnit unit) throws InterruptedException {
        return frames.poll(timeout, unit);
    }

    /** Releases every queued frame (when the camera stops). */
    void clear() {
        Frame f;
        while ((f = frames.poll()) != null) {
            f.release();
        }
    }
}
