package io.mjpegrtp.transport.udp.internal;

import java.util.concurrent.locks.LockSupport;

/**
 * Spreads a frame's packets over time, because a receiver with a default socket buffer (212 KB on Linux, about 90
 * full-size packets) loses a large frame sent back to back. {@code auto} spreads each frame over a quarter of its
 * frame interval and keeps frames apart; a kbit/s value caps the rate across frames; {@code off} sends at once.
 *
 * <p>A sender that was not scheduled in time does not catch up with a burst: being late by more than the burst
 * allowance moves the rest of the frame later instead, since that burst is what the pacing is there to avoid.
 */
final class Pacer {
    /** Bytes sent back to back before pacing starts: small frames go out at once. */
    static final int BURST_BYTES = 16 * 1024;
    /**
     * The part of the frame interval {@code auto} spreads a frame over. Common receivers decode in the thread that
     * reads the socket ({@code udpsrc ! rtpjpegdepay ! jpegdec}, FFmpeg): while they decode a frame nothing is read,
     * so the next frame must not start arriving before that ends. A quarter leaves three quarters for decoding (an
     * 8-megapixel frame takes a desktop core 15-20 ms, half the interval at 30 fps), and still sends a 400 KB frame at
     * about 50 MB/s, which a receiver that gets the CPU reads several times faster than that.
     */
    static final double AUTO_WINDOW = 1.0 / 4;
    /**
     * The least time, in frame intervals, between the starts of two paced frames with {@code auto}; and the end of
     * one and the start of the next are at least this minus {@link #AUTO_WINDOW} apart. A sender that was held up
     * (a busy CPU) would otherwise send the frames that queued meanwhile back to back, or start the next frame right
     * after one that a stall stretched, and a receiver still decoding loses it; this way a backlog is sent a little
     * faster than the frame rate, and the camera's queue drops what cannot be caught up.
     */
    static final double AUTO_SPACING = 0.9;
    private static final long NANOS_PER_SECOND = 1_000_000_000L;
    private static final long SPIN_NANOS = 20_000;

    private final boolean off;
    private final long kbitPerSecond;
    private final int framerate;
    private double nanosPerByte;
    private long frameStart;
    private long lastPacedStart = Long.MIN_VALUE / 2;
    private long lastPacedPacket = Long.MIN_VALUE / 2;
    private long bytes;
    private long burst;
    private long due;
    private long sendAt; // of the packet schedule() held back

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
            burst = 0;
            frameStart = Math.max(now, due); // the cap holds across frames too
        } else {
            double interval = (double) NANOS_PER_SECOND / framerate;
            nanosPerByte = frameBytes <= BURST_BYTES ? 0 : AUTO_WINDOW * interval / (frameBytes - BURST_BYTES);
            burst = BURST_BYTES;
            frameStart = now;
            if (nanosPerByte > 0) {
                frameStart = Math.max(now, Math.max(lastPacedStart + (long) (AUTO_SPACING * interval),
                        lastPacedPacket + (long) ((AUTO_SPACING - AUTO_WINDOW) * interval)));
                lastPacedStart = frameStart;
            }
        }
    }

    /** Waits, if needed, until the next {@code packetBytes} may be sent. */
    void beforePacket(int packetBytes) {
        if (schedule(packetBytes) > 0) {
            await();
        }
    }

    /**
     * Takes the next {@code packetBytes} into account and tells how long they must wait before going out; a sender
     * that batches packets sends what it holds when this is not 0, then calls {@link #await()}. A packet due within
     * {@value #SPIN_NANOS} ns goes at once, as with {@link #beforePacket}.
     *
     * @return nanoseconds to wait, 0 to send now
     */
    long schedule(int packetBytes) {
        if (nanosPerByte == 0) {
            return 0;
        }
        long ahead = Math.max(0, bytes - burst);
        bytes += packetBytes;
        long wait = 0;
        if (ahead > 0 || bytes == packetBytes) { // a paced packet, or the first of the frame (may be held back)
            sendAt = frameStart + (long) (ahead * nanosPerByte);
            long now = System.nanoTime();
            long late = now - sendAt;
            long allowed = (long) (BURST_BYTES * nanosPerByte);
            if (late > allowed) {
                frameStart += late - allowed;
                sendAt += late - allowed;
            }
            wait = sendAt - now;
            if (wait <= SPIN_NANOS) {
                wait = 0;
                if (burst > 0) {
                    lastPacedPacket = now; // at the end of a frame: when its last paced packet went
                }
            }
        }
        due = frameStart + (long) (Math.max(0, bytes - burst) * nanosPerByte);
        return wait;
    }

    /** Waits for the packet that {@link #schedule} held back. */
    void await() {
        long wait;
        while ((wait = sendAt - System.nanoTime()) > SPIN_NANOS) {
            LockSupport.parkNanos(wait);
        }
        if (burst > 0) {
            lastPacedPacket = System.nanoTime();
        }
    }
}
