package io.mjpegrtp.transport.udp.internal;

import java.time.Instant;

/**
 * Wall-clock time in NTP format (RFC 3550 4) for {@link System#nanoTime()} instants, from one anchor taken once per
 * process. Every camera's sender reports use this anchor, and their RTP timestamps come from capture times on the
 * same {@code nanoTime} clock, so a receiver that maps two cameras' RTP timestamps to NTP time can pair frames
 * taken at the same instant. Reading the wall clock per report instead would let a clock step between two reports
 * shift one camera against the other.
 */
final class NtpTime {
    /** Seconds from 1900-01-01 (NTP era 0) to 1970-01-01. */
    static final long UNIX_TO_NTP_SECONDS = 2_208_988_800L;
    private static final long NANOS_PER_SECOND = 1_000_000_000L;
    private static final long ANCHOR_NANO_TIME;
    private static final long ANCHOR_UNIX_NANOS;

    static {
        Instant wall = Instant.now();
        ANCHOR_NANO_TIME = System.nanoTime();
        ANCHOR_UNIX_NANOS = wall.getEpochSecond() * NANOS_PER_SECOND + wall.getNano();
    }

    private NtpTime() {
    }

    /** Nanoseconds since 1970 (UTC) at {@code nanoTime}, on the process-wide anchor. */
    static long unixNanos(long nanoTime) {
        return ANCHOR_UNIX_NANOS + (nanoTime - ANCHOR_NANO_TIME);
    }

    /** The 64-bit NTP timestamp (seconds since 1900 in the high word, binary fraction in the low) at {@code nanoTime}. */
    static long ntp(long nanoTime) {
        return fromUnixNanos(unixNanos(nanoTime));
    }

    static long fromUnixNanos(long unixNanos) {
        long seconds = Math.floorDiv(unixNanos, NANOS_PER_SECOND);
        long nanos = Math.floorMod(unixNanos, NANOS_PER_SECOND);
        long fraction = (nanos << 32) / NANOS_PER_SECOND;
        return ((seconds + UNIX_TO_NTP_SECONDS) << 32) | fraction;
    }

    static long toUnixNanos(long ntp) {
        long seconds = (ntp >>> 32) - UNIX_TO_NTP_SECONDS;
        long fraction = ntp & 0xFFFF_FFFFL;
        return seconds * NANOS_PER_SECOND + ((fraction * NANOS_PER_SECOND) >>> 32);
    }

    /** The middle 32 bits of an NTP timestamp, as LSR and RTT computations use them (units of 1/65536 s). */
    static long middle32(long ntp) {
        return (ntp >>> 16) & 0xFFFF_FFFFL;
    }
}
