package io.mjpegrtp.api;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The running totals of one camera, fed by the camera and its transports from any thread. Updating a counter
 * never allocates, so it is safe on the per-packet path.
 */
public final class CameraCounters {
    private final String camera;
    private final AtomicLong framesCaptured = new AtomicLong();
    private final AtomicLong framesSent = new AtomicLong();
    private final AtomicLong framesDroppedQueueFull = new AtomicLong();
    private final AtomicLong framesRejected = new AtomicLong();
    private final AtomicLong packetsSent = new AtomicLong();
    private final AtomicLong bytesSent = new AtomicLong();
    private final AtomicLong sendErrors = new AtomicLong();
    private final AtomicLong restarts = new AtomicLong();
    private final AtomicReference<String> lastRejection = new AtomicReference<>("");

    public CameraCounters(String camera) {
        this.camera = camera;
    }

    public String camera() {
        return camera;
    }

    public void frameCaptured() {
        framesCaptured.incrementAndGet();
    }

    public void frameSent() {
        framesSent.incrementAndGet();
    }

    /** The camera's queue was full and the oldest frame gave way to a newer one. */
    public void frameDroppedQueueFull() {
        framesDroppedQueueFull.incrementAndGet();
    }

    /** A frame could not be carried; {@code reason} is kept as the last rejection reason. */
    public void frameRejected(String reason) {
        framesRejected.incrementAndGet();
        lastRejection.set(reason);
    }

    public void packetSent(int bytes) {
        packetsSent.incrementAndGet();
        bytesSent.addAndGet(bytes);
    }

    public void sendError() {
        sendErrors.incrementAndGet();
    }

    public void restarted() {
        restarts.incrementAndGet();
    }

    public Snapshot snapshot() {
        return new Snapshot(camera, framesCaptured.get(), framesSent.get(), framesDroppedQueueFull.get(),
                framesRejected.get(), packetsSent.get(), bytesSent.get(), sendErrors.get(), restarts.get(),
                lastRejection.get());
    }

    /** The totals at one instant. */
    public record Snapshot(String camera, long framesCaptured, long framesSent, long framesDroppedQueueFull,
            long framesRejected, long packetsSent, long bytesSent, long sendErrors, long restarts,
            String lastRejection) {
        public long framesDropped() {
            return framesDroppedQueueFull + framesRejected;
        }
    }
}
