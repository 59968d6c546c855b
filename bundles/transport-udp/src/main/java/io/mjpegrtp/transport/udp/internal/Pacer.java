package io.mjpegrtp.transport.udp.internal;

import java.util.concurrent.locks.LockSupport;

/**
 * Spreads a frame's packets over time, because a receiver with a default socket buffer (212 KB on Linux) loses
 * a large frame sent back to back. {@code auto} spreads each frame over half its frame interval; a kbit/s value
 * caps the rate across frames; {@code off} sends at once.
 */
final class Pacer {
    /** Bytes sent back to back before pacing starts: small frames go out at once. */
    static final int BURST_BYTES = 16 * 1024;
    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private final boolean off;
    private final long kbitPerSecond;
    private final int framerate;
    private double nanosPerByte;
    private long frameStart;
    private long bytes;
    private long due;

    Pacer(String pacing, int framerate) {
        this.off = pacing.equals("off");
        this.kbitPerSecond = pacing.equals("auto") || off ? 0 : Long.parseLong(pacing);
        this.framerate = framerate;
    }

    void startFrame(long frameBytes) {
        long now = System.nanoTime();
        bytes = 0;
        if (off) {
            nanosPerByte = 0;
            return;
        }
        if (kbitPerSecond > 0) {
            nanosPerByte = 8e6 / kbitPerSecond;
            frameStart = Math.max(now, due); // the cap holds across frames too
        } else {
            double window = 0.5 * NANOS_PER_SECOND / framerate;
            nanosPerByte = frameBytes <= BURST_BYTES ? 0 : window / frameBytes;
            frameStart = now;
        }
    }

    /** Waits, if needed, until the next {@code packetBytes} may be sent. */
    void beforePacket(int packetBytes) {
        if (nanosPerByte == 0) {
            return;
        }
        long ahead = bytes - (kbitPerSecond > 0 ? 0 : BURST_BYTES);
        bytes += packetBytes;
        due = frameStart + (long) (bytes * nanosPerByte);
        if (ahead <= 0) {
            return;
        }
        long sendAt = frameStart + (long) (ahead * nanosPerByte);
        long wait;
        while ((wait = sendAt - System.nanoTime()) > 20_000) {
            LockSupport.parkNanos(wait);
        }
    }
}
