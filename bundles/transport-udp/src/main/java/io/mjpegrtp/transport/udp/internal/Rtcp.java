package io.mjpegrtp.transport.udp.internal;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * RTCP packets of a sender (RFC 3550 6): compound packets of a sender report (or an empty receiver report before
 * anything was sent), an SDES chunk with CNAME and NAME, and optionally BYE; and the report blocks of receiver
 * reports that come back. Pure Java: no sockets here.
 */
final class Rtcp {
    static final int SR = 200;
    static final int RR = 201;
    static final int SDES = 202;
    static final int BYE = 203;
    private static final int CNAME = 1;
    private static final int NAME = 2;
    /** Largest compound packet we build: SR 28 + SDES 4 + 4 + 2 x (2 + 255) + 4 + BYE 8 + 256. */
    static final int MAX_PACKET = 1100;

    private Rtcp() {
    }

    /** What the sender puts into its reports. */
    record SenderInfo(int ssrc, long ntp, int rtpTimestamp, long packets, long octets) {
    }

    /** One report block about our SSRC, from a receiver report or from another sender's report. */
    record ReportBlock(int reporterSsrc, int fractionLost, int cumulativeLost, long highestSequence, long jitter,
            long lastSr, long delaySinceLastSr) {
    }

    /**
     * Writes a compound packet into {@code out} (cleared first, flipped after).
     *
     * @param sent whether to write a sender report; otherwise an empty receiver report (RFC 3550 6.4: a participant
     *            that has not sent recently reports as a receiver)
     * @param bye a reason to leave the session, or {@code null} for no BYE
     */
    static void compound(ByteBuffer out, SenderInfo info, boolean sent, String cname, String name, String bye) {
        out.clear();
        if (sent) {
            out.put((byte) 0x80).put((byte) SR).putShort((short) 6);
            out.putInt(info.ssrc());
            out.putLong(info.ntp());
            out.putInt(info.rtpTimestamp());
            out.putInt((int) info.packets()); // both counts wrap modulo 2^32 (RFC 3550 6.4.1)
            out.putInt((int) info.octets());
        } else {
            out.put((byte) 0x80).put((byte) RR).putShort((short) 1);
            out.putInt(info.ssrc());
        }
        int sdes = out.position();
        out.put((byte) 0x81).put((byte) SDES).putShort((short) 0);
        out.putInt(info.ssrc());
        item(out, CNAME, cname);
        if (name != null && !name.isEmpty()) {
            item(out, NAME, name);
        }
        out.put((byte) 0); // END; then null octets up to the next 32-bit boundary
        while ((out.position() & 3) != 0) {
            out.put((byte) 0);
        }
        out.putShort(sdes + 2, (short) ((out.position() - sdes) / 4 - 1));
        if (bye != null) {
            int start = out.position();
            out.put((byte) 0x81).put((byte) BYE).putShort((short) 0);
            out.putInt(info.ssrc());
            byte[] reason = truncated(bye);
            if (reason.length > 0) {
                out.put((byte) reason.length).put(reason);
                while ((out.position() & 3) != 0) {
                    out.put((byte) 0);
                }
            }
            out.putShort(start + 2, (short) ((out.position() - start) / 4 - 1));
        }
        out.flip();
    }

    private static void item(ByteBuffer out, int type, String text) {
        byte[] b = truncated(text);
        out.put((byte) type).put((byte) b.length).put(b);
    }

    private static byte[] truncated(String text) {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        if (b.length <= 255) {
            return b;
        }
        byte[] cut = new byte[255];
        System.arraycopy(b, 0, cut, 0, 255);
        return cut;
    }

    /**
     * Hands every report block about {@code ssrc} found in a compound packet to {@code sink}. Malformed packets end
     * the walk without an exception: whatever arrives on the socket is parsed.
     *
     * @return the number of RTCP packets read before the end or the first malformed one
     */
    static int reportBlocks(ByteBuffer packet, int ssrc, Consumer<ReportBlock> sink) {
        ByteBuffer b = packet.slice();
        int count = 0;
        while (b.remaining() >= 4) {
            int p = b.position();
            int first = b.get(p) & 0xFF;
            int type = b.get(p + 1) & 0xFF;
            int size = ((b.getShort(p + 2) & 0xFFFF) + 1) * 4;
            if (first >> 6 != 2 || size > b.remaining()) {
                break;
            }
            count++;
            int blocks = first & 0x1F;
            int at = type == SR ? p + 28 : type == RR ? p + 8 : -1;
            if (at >= 0 && size >= 8) {
                int reporter = b.getInt(p + 4);
                for (int i = 0; i < blocks && at + 24 <= p + size; i++, at += 24) {
                    if (b.getInt(at) != ssrc) {
                        continue;
                    }
                    int lost = b.getInt(at + 4);
                    int cumulative = lost << 8 >> 8; // 24-bit signed
                    sink.accept(new ReportBlock(reporter, lost >>> 24, cumulative,
                            b.getInt(at + 8) & 0xFFFF_FFFFL, b.getInt(at + 12) & 0xFFFF_FFFFL,
                            b.getInt(at + 16) & 0xFFFF_FFFFL, b.getInt(at + 20) & 0xFFFF_FFFFL));
                }
            }
            b.position(p + size);
        }
        return count;
    }

    /**
     * Round-trip time from a report block (RFC 3550 6.4.1: A - LSR - DLSR), or -1 when the receiver had no sender
     * report yet.
     *
     * @param arrivalNtp our NTP time when the report arrived
     */
    static long roundTripMicros(ReportBlock block, long arrivalNtp) {
        if (block.lastSr() == 0) {
            return -1;
        }
        long units = (NtpTime.middle32(arrivalNtp) - block.lastSr() - block.delaySinceLastSr()) & 0xFFFF_FFFFL;
        if (units > 0x8000_0000L) {
            return 0; // a few units below zero: rounding of DLSR at a receiver on the same host
        }
        return units * 1_000_000L / 65_536L;
    }

    /** Interarrival jitter, given in RTP timestamp units, in microseconds. */
    static long jitterMicros(long jitter, int clockRate) {
        return jitter * 1_000_000L / clockRate;
    }
}
