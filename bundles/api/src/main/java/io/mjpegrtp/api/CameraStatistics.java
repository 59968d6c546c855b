package io.mjpegrtp.api;

/**
 * A camera's totals with rates computed over the last second and latencies over the last
 * {@value #LATENCY_WINDOW_SECONDS} seconds.
 *
 * @param totals the counters at {@code atMillis}
 * @param framesPerSecond frames sent per second
 * @param capturedPerSecond frames captured per second
 * @param packetsPerSecond packets sent per second
 * @param bitsPerSecond payload bits sent per second (IP/UDP headers excluded)
 * @param atMillis wall-clock time of the sample
 * @param recentCaptureToSent capture time to last packet of the frames sent in the latency window
 * @param recentHandOverToSent hand-over by the backend to last packet of the frames sent in the latency window
 */
public record CameraStatistics(CameraCounters.Snapshot totals, double framesPerSecond, double capturedPerSecond,
        double packetsPerSecond, double bitsPerSecond, long atMillis, LatencyHistogram.Snapshot recentCaptureToSent,
        LatencyHistogram.Snapshot recentHandOverToSent) {
    /** The window the recent latencies cover: long enough for a stable 99th percentile at 30 fps (300 frames). */
    public static final int LATENCY_WINDOW_SECONDS = 10;

    /** Statistics without latencies, as in API 1.1. */
    public CameraStatistics(CameraCounters.Snapshot totals, double framesPerSecond, double capturedPerSecond,
            double packetsPerSecond, double bitsPerSecond, long atMillis) {
        this(totals, framesPerSecond, capturedPerSecond, packetsPerSecond, bitsPerSecond, atMillis,
                LatencyHistogram.Snapshot.EMPTY, LatencyHistogram.Snapshot.EMPTY);
    }
}
