package io.mjpegrtp.rtp;

import java.security.SecureRandom;

/**
 * 90 kHz RTP timestamps from capture times in the {@link System#nanoTime()} domain, with a random
 * initial offset (RFC 3550 5.1). Immutable and thread-safe.
 */
public final class RtpClock {
    /** RTP clock rate of video payloads, including JPEG (RFC 3551). */
    public static final int CLOCK_RATE = 90_000;

    private static final SecureRandom RANDOM = new SecureRandom();

    private final int base;
    private final long origin;

    /** A clock with a random timestamp base whose origin is now. */
    public RtpClock() {
        this(RANDOM.nextInt(), System.nanoTime());
    }

    /**
     * A clock continuing a known session, e.g. for tests or to keep timestamps continuous.
     *
     * @param base the RTP timestamp at {@code originNanos}
     * @param originNanos a {@link System#nanoTime()} value
     */
    public RtpClock(int base, long originNanos) {
        this.base = base;
        this.origin = originNanos;
    }

    /**
     * @param captureNanos capture time of a frame, {@link System#nanoTime()} domain (may be before the origin)
     * @return base + elapsed time in 90 kHz ticks, rounded down, modulo 2^32
     */
    public int timestamp(long captureNanos) {
        // Split the division so that the product cannot overflow whatever the distance to the origin.
        final long delta = captureNanos - origin;
        final long ticks = Math.floorDiv(delta, 100_000L) * 9 + Math.floorMod(delta, 100_000L) * 9 / 100_000L;
        return base + (int) ticks;
    }

    /** @return the timestamp at the origin */
    public int base() {
        return base;
    }

    /** @return the {@link System#nanoTime()} value that maps to {@link #base()} */
    public long origin() {
        return origin;
    }

    /** @return a random SSRC (RFC 3550 8.1) */
    public static int randomSsrc() {
        return RANDOM.nextInt();
    }

    /** @return a random initial sequence number, 0..65535 (RFC 3550 5.1) */
    public static int randomSequence() {
        return RANDOM.nextInt(1 << 16);
    }
}
