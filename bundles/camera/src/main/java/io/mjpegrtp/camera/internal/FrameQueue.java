package io.mjpegrtp.camera.internal;

import io.mjpegrtp.api.CameraCounters;
import io.mjpegrtp.api.Frame;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The hand-over between a capture thread and the camera's sending thread: bounded, and the newest frame wins,
 * because a late frame is worth less than a current one. Every frame that gives way is released and counted.
 */
final class FrameQueue {
    private final ArrayBlockingQueue<Frame> frames;
    private final CameraCounters counters;
    /**
     * When each frame was offered, by frame number modulo its length: at most capacity + 1 frames (the queued ones
     * and the one being sent) are in the camera at once, so a slot is not reused while its frame is still here.
     */
    private final AtomicLongArray offeredAt;

    FrameQueue(int capacity, CameraCounters counters) {
        this.frames = new ArrayBlockingQueue<>(capacity);
        this.counters = counters;
        this.offeredAt = new AtomicLongArray(Integer.highestOneBit(capacity + 1) * 2);
    }

    void offer(Frame frame) {
        handedOver(frame);
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

    /** Notes that {@code frame} was handed over now: by {@link #offer}, or by a capture thread sending it itself. */
    void handedOver(Frame frame) {
        offeredAt.set((int) (frame.number() & (offeredAt.length() - 1)), System.nanoTime());
    }

    boolean isEmpty() {
        return frames.isEmpty();
    }

    /** When {@code frame}, taken from this queue and not yet released, was offered (System.nanoTime()). */
    long offeredAt(Frame frame) {
        return offeredAt.get((int) (frame.number() & (offeredAt.length() - 1)));
    }

    /** Releases every queued frame (when the camera stops). */
    void clear() {
        Frame f;
        while ((f = frames.poll()) != null) {
            f.release();
        }
    }
}
