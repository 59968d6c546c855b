package io.mjpegrtp.camera.internal;

/** Restart delays: 0.5 s doubling to 30 s, back to 0.5 s after a minute of good frames. */
final class Backoff {
    static final long INITIAL_MILLIS = 500;
    static final long MAX_MILLIS = 30_000;
    static final long RESET_AFTER_NANOS = 60_000_000_000L;
    private long nextMillis = INITIAL_MILLIS;

    /** The delay before the next restart; each call doubles the one after. */
    long next() {
        long d = nextMillis;
        nextMillis = Math.min(MAX_MILLIS, nextMillis * 2);
        return d;
    }

    /** Called when the capture failed after running well for {@code streamedNanos}. */
    void streamedFor(long streamedNanos) {
        if (streamedNanos >= RESET_AFTER_NANOS) {
            nextMillis = INITIAL_MILLIS;
        }
    }

    /** Starts over at the first delay. */
    void reset() {
        nextMillis = INITIAL_MILLIS;
    }
}
