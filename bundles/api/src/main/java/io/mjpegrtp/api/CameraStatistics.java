package io.mjpegrtp.api;

/**
 * A camera's totals with rates computed over the last second.
 *
 * @param totals the counters at {@code atMillis}
 * @param framesPerSecond frames sent per second
 * @param capturedPerSecond frames captured per second
 * @param packetsPerSecond packets sent per second
 * @param bitsPerSecond payload bits sent per second (IP/UDP headers excluded)
 * @param atMillis wall-clock time of the sample
 */
public record CameraStatistics(CameraCounters.Snapshot totals, double framesPerSecond, double capturedPerSecond,
        double packetsPerSecond, double bitsPerSecond, long atMillis) {
}
