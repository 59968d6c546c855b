package io.mjpegrtp.api;

import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * One captured picture: a complete JPEG (SOI to EOI) between the buffer's position and limit.
 *
 * <p>A frame is handed from a capture backend to its camera, which passes it to the camera's
 * transports and then calls {@link #release()} exactly once, so a backend can lend out memory it owns
 * (a mapped GStreamer buffer, a pooled array) without copying.
 */
public final class Frame {
    private final ByteBuffer data;
    private final long captureTimeNanos;
    private final long number;
    private final Runnable onRelease;
    private final String source;

    /**
     * @param data the JPEG; its position and limit delimit the picture
     * @param captureTimeNanos when the picture was taken, on the {@link System#nanoTime()} clock
     * @param number the backend's frame counter, for diagnostics only
     * @param onRelease called once when the frame is no longer used, or {@code null}
     */
    public Frame(ByteBuffer data, long captureTimeNanos, long number, Runnable onRelease) {
        this(data, captureTimeNanos, number, onRelease, "");
    }

    /**
     * @param source where the picture came from (a file name), for the log line when it cannot be sent
     */
    public Frame(ByteBuffer data, long captureTimeNanos, long number, Runnable onRelease, String source) {
        this.data = Objects.requireNonNull(data, "data");
        this.captureTimeNanos = captureTimeNanos;
        this.number = number;
        this.onRelease = onRelease;
        this.source = source == null ? "" : source;
    }

    /** Where the picture came from, for people (a file name), or empty. */
    public String source() {
        return source;
    }

    /** A read-only view of the JPEG; each call returns a new view, so readers never disturb each other. */
    public ByteBuffer data() {
        return data.asReadOnlyBuffer();
    }

    /** The JPEG buffer itself, for the hot path that must not allocate; callers must not move its position. */
    public ByteBuffer sharedData() {
        return data;
    }

    public int size() {
        return data.remaining();
    }

    /** Capture time on the {@link System#nanoTime()} clock. */
    public long captureTimeNanos() {
        return captureTimeNanos;
    }

    public long number() {
        return number;
    }

    /** Gives the frame's memory back to its backend. */
    public void release() {
        if (onRelease != null) {
            onRelease.run();
        }
    }
}
