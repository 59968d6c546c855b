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
    // RTCP receiver reports (RFC 3550 6.4.2), from the most recent report; -1 while none arrived.
    private final AtomicLong reportsReceived = new AtomicLong();
    private final AtomicLong fractionLost = new AtomicLong(-1);
    private final AtomicLong cumulativeLost = new AtomicLong(-1);
    private final AtomicLong jitterMicros = new AtomicLong(-1);
    private final AtomicLong roundTripMicros = new AtomicLong(-1);
    private final LatencyHistogram captureToSent = new LatencyHistogram();
    private final LatencyHistogram handOverToSent = new LatencyHistogram();

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

    /**
     * A frame's last packet was handed to the network.
     *
     * @param captureToSentNanos from the frame's capture time (the source's timestamp, so it includes encoding in a
     *            GStreamer pipeline) to then
     * @param handOverToSentNanos from the moment the backend handed the frame to the camera to then: the runtime's
     *            own part (queueing, packetizing, pacing, sending)
     */
    public void frameSentLatency(long captureToSentNanos, long handOverToSentNanos) {
        captureToSent.record(captureToSentNanos);
        handOverToSent.record(handOverToSentNanos);
    }

    public void packetSent(int bytes) {
        packetsSent.incrementAndGet();
        bytesSent.addAndGet(bytes);
    }

    /** {@code packets} packets of {@code bytes} bytes in all went out together (one batched send). */
    public void packetsSent(int packets, long bytes) {
        packetsSent.addAndGet(packets);
        bytesSent.addAndGet(bytes);
    }

    public void sendError() {
        sendErrors.incrementAndGet();
    }

    public void restarted() {
        restarts.incrementAndGet();
    }

    /**
     * A receiver report about this camera's stream arrived.
     *
     * @param fractionLost fraction of packets lost since the previous report, in 1/256 (0..255)
     * @param cumulativeLost packets lost since the start (may be negative with duplicates)
     * @param jitterMicros interarrival jitter, converted from RTP timestamp units to microseconds
     * @param roundTripMicros round-trip time computed from LSR/DLSR, or -1 when the report cannot give one
     *            (the receiver has not seen a sender report yet)
     */
    public void receiverReport(int fractionLost, long cumulativeLost, long jitterMicros, long roundTripMicros) {
        this.fractionLost.set(fractionLost);
        this.cumulativeLost.set(cumulativeLost);
        this.jitterMicros.set(jitterMicros);
        if (roundTripMicros >= 0) {
            this.roundTripMicros.set(roundTripMicros); // keep the last known value through reports without one
        }
        reportsReceived.incrementAndGet();
    }

    public Snapshot snapshot() {
        return new Snapshot(camera, framesCaptured.get(), framesSent.get(), framesDroppedQueueFull.get(),
                framesRejected.get(), packetsSent.get(), bytesSent.get(), sendErrors.get(), restarts.get(),
                lastRejection.get(), reportsReceived.get(), (int) fractionLost.get(), cumulativeLost.get(),
                jitterMicros.get(), roundTripMicros.get(), captureToSent.snapshot(), handOverToSent.snapshot());
    }

    /**
     * The totals at one instant. The receiver-report values are those of the latest RTCP receiver report, -1
     * while none arrived ({@code reportsReceived == 0}); {@code roundTripMicros} stays -1 until a report carries
     * one. The latencies are those of every frame sent so far (see {@link CameraCounters#frameSentLatency}).
     */
    public record Snapshot(String camera, long framesCaptured, long framesSent, long framesDroppedQueueFull,
            long framesRejected, long packetsSent, long bytesSent, long sendErrors, long restarts,
            String lastRejection, long reportsReceived, int fractionLost, long cumulativeLost, long jitterMicros,
            long roundTripMicros, LatencyHistogram.Snapshot captureToSent, LatencyHistogram.Snapshot handOverToSent) {

        /** The totals without latencies, as in API 1.1. */
        public Snapshot(String camera, long framesCaptured, long framesSent, long framesDroppedQueueFull,
                long framesRejected, long packetsSent, long bytesSent, long sendErrors, long restarts,
                String lastRejection, long reportsReceived, int fractionLost, long cumulativeLost, long jitterMicros,
                long roundTripMicros) {
            this(camera, framesCaptured, framesSent, framesDroppedQueueFull, framesRejected, packetsSent, bytesSent,
                    sendErrors, restarts, lastRejection, reportsReceived, fractionLost, cumulativeLost, jitterMicros,
                    roundTripMicros, LatencyHistogram.Snapshot.EMPTY, LatencyHistogram.Snapshot.EMPTY);
        }

        /** The totals without receiver reports, as in API 1.0. */
        public Snapshot(String camera, long framesCaptured, long framesSent, long framesDroppedQueueFull,
                long framesRejected, long packetsSent, long bytesSent, long sendErrors, long restarts,
                String lastRejection) {
            this(camera, framesCaptured, framesSent, framesDroppedQueueFull, framesRejected, packetsSent, bytesSent,
                    sendErrors, restarts, lastRejection, 0, -1, -1, -1, -1);
        }

        public long framesDropped() {
            return framesDroppedQueueFull + framesRejected;
        }
    }
}
