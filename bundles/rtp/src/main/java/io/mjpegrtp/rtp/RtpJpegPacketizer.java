package io.mjpegrtp.rtp;

import io.mjpegrtp.jpeg.JpegInfo;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Cuts JPEG frames into RTP/JPEG packets (RFC 2435) of one RTP session (one SSRC).
 *
 * <p>Every packet: RTP version 2, payload type 26, the frame's timestamp, sequence number +1 per packet
 * (modulo 2^16), marker on the last packet; JPEG header with type-specific 0, a 24-bit fragment offset
 * counting scan bytes, type {@code rtpType} (+64 with DRI), Q = 255, width and height in 8-pixel units
 * rounded up (0 above 2040 pixels: the real size travels in the SDP); with DRI a restart header (interval,
 * F=1 L=1 count 0x3FFF: the frame is not split at restart boundaries); in the first packet only the
 * quantization table header (MBZ 0, precision 0, length 128, luma then chroma table).
 *
 * <p>No packet exceeds the MTU, which counts the whole RTP packet (the UDP payload). The scan is never
 * copied: payloads are views of the frame buffer. Steady state allocates nothing per packet, and nothing
 * per frame when frames come in the same {@code ByteBuffer} object; a new buffer object costs one
 * {@code duplicate()}. Not thread-safe: one packetizer per sending thread.
 */
public final class RtpJpegPacketizer {
    /** Smallest accepted MTU: the largest header (12 + 8 + 4 + 132 = 156 bytes) plus 100 bytes of scan. */
    public static final int MIN_MTU = 256;
    /** Largest accepted MTU: the largest UDP payload over IPv4. */
    public static final int MAX_MTU = 65_507;
    /** RTP payload type of JPEG (RFC 3551). */
    public static final int PAYLOAD_TYPE = 26;

    private static final int RTP = 12, MAIN = 8, RESTART = 4, TABLES = 4 + 128;

    private final int ssrc;
    private final byte[] head = new byte[RTP + MAIN + RESTART + TABLES];
    private final ByteBuffer header = ByteBuffer.wrap(head);
    private int sequence;
    private int mtu;
    private ByteBuffer frame, view; // the last frame buffer and the payload view made from it

    /**
     * @param ssrc synchronization source of this session, see {@link RtpClock#randomSsrc()}
     * @param firstSequence sequence number of the first packet (only the low 16 bits are used),
     *            see {@link RtpClock#randomSequence()}
     * @param mtu largest RTP packet (UDP payload) in bytes, {@value #MIN_MTU}..{@value #MAX_MTU}
     */
    public RtpJpegPacketizer(int ssrc, int firstSequence, int mtu) {
        this.ssrc = ssrc;
        this.sequence = firstSequence & 0xFFFF;
        setMtu(mtu);
    }

    /**
     * @param mtu largest RTP packet (UDP payload) in bytes; takes effect with the next frame
     * @throws IllegalArgumentException outside {@value #MIN_MTU}..{@value #MAX_MTU}
     */
    public void setMtu(int mtu) {
        if (mtu < MIN_MTU || mtu > MAX_MTU) {
            throw new IllegalArgumentException("mtu " + mtu + " is out of range; accepted: " + MIN_MTU + ".."
                    + MAX_MTU + " bytes of RTP packet");
        }
        this.mtu = mtu;
    }

    /** @return the largest RTP packet this packetizer produces */
    public int mtu() {
        return mtu;
    }

    /** @return the smallest MTU {@link #setMtu(int)} accepts */
    public static int minimumMtu() {
        return MIN_MTU;
    }

    /** @return the SSRC written into every packet */
    public int ssrc() {
        return ssrc;
    }

    /** @return the sequence number the next packet will carry, 0..65535 */
    public int nextSequence() {
        return sequence;
    }

    /**
     * Sends one frame as RTP/JPEG packets.
     *
     * @param jpeg the frame; only absolute reads, its position and limit are left alone
     * @param info the result of parsing {@code jpeg} with {@code io.mjpegrtp.jpeg.JpegParser}
     * @param rtpTimestamp the frame's timestamp, see {@link RtpClock#timestamp(long)}
     * @param sink receives the packets in order
     * @return the number of packets sent
     * @throws IOException from the sink; the sequence numbers of packets handed over stay used
     * @throws IllegalArgumentException when {@code info} does not describe a scan inside {@code jpeg}
     */
    public int packetize(ByteBuffer jpeg, JpegInfo info, int rtpTimestamp, PacketSink sink) throws IOException {
        final int scan = info.scanOffset(), length = info.scanLength(), restart = info.restartInterval();
        if (scan < 0 || length < 0 || scan + length > jpeg.limit() || length > 1 << 24) {
            throw new IllegalArgumentException("scan " + scan + "+" + length + " is not inside the frame (limit "
                    + jpeg.limit() + ") or longer than RFC 2435's 24-bit offsets allow");
        }
        if (jpeg != frame) {
            frame = jpeg;
            view = jpeg.duplicate();
        }
        final byte[] h = head;
        // Fields that are equal in every packet of the frame are written once.
        h[0] = (byte) 0x80; // version 2, no padding, no extension, no CSRC
        putInt(h, 4, rtpTimestamp);
        putInt(h, 8, ssrc);
        h[12] = 0; // type-specific
        h[16] = (byte) (info.rtpType() + (restart > 0 ? 64 : 0));
        h[17] = (byte) 255; // Q >= 128 with in-band tables, the same in every packet of the frame
        h[18] = (byte) eighths(info.width());
        h[19] = (byte) eighths(info.height());
        int fixed = RTP + MAIN;
        if (restart > 0) {
            h[20] = (byte) (restart >> 8);
            h[21] = (byte) restart;
            h[22] = (byte) 0xFF; // F=1, L=1, restart count 0x3FFF
            h[23] = (byte) 0xFF;
            fixed += RESTART;
        }
        int offset = 0, packets = 0;
        do {
            int headerLength = fixed;
            if (offset == 0) {
                h[fixed] = 0; // MBZ
                h[fixed + 1] = 0; // precision: both tables 8-bit
                h[fixed + 2] = 0;
                h[fixed + 3] = (byte) 128;
                System.arraycopy(info.quantizationTables(), 0, h, fixed + 4, 128);
                headerLength += TABLES;
            }
            final int n = Math.min(length - offset, mtu - headerLength);
            final boolean last = offset + n == length;
            h[1] = (byte) (last ? 0x80 | PAYLOAD_TYPE : PAYLOAD_TYPE);
            h[2] = (byte) (sequence >> 8);
            h[3] = (byte) sequence;
            h[13] = (byte) (offset >> 16);
            h[14] = (byte) (offset >> 8);
            h[15] = (byte) offset;
            header.limit(headerLength).position(0);
            view.limit(scan + offset + n).position(scan + offset);
            sequence = (sequence + 1) & 0xFFFF;
            packets++;
            sink.packet(header, view, last);
            offset += n;
        } while (offset < length);
        return packets;
    }

    /** @return pixels in 8-pixel units rounded up, 0 when that does not fit the 8-bit field */
    private static int eighths(int pixels) {
        return pixels > 2040 ? 0 : (pixels + 7) >> 3;
    }

    private static void putInt(byte[] b, int i, int v) {
        b[i] = (byte) (v >> 24);
        b[i + 1] = (byte) (v >> 16);
        b[i + 2] = (byte) (v >> 8);
        b[i + 3] = (byte) v;
    }
}
