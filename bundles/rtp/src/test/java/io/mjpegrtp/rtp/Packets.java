package io.mjpegrtp.rtp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.List;

/**
 * Test helpers for RTP/JPEG packets: field readers, the checks a strict RFC 2435 receiver makes on the
 * packets of one frame (kept from the earlier test-only receiver, so that the lenient main depacketizer
 * does not hide a sloppy packetizer), and rebuilding a frame with {@link RtpJpegDepacketizer}.
 */
final class Packets {
    private Packets() {
    }

    static int u8(byte[] b, int i) {
        return b[i] & 0xFF;
    }

    static int u16(byte[] b, int i) {
        return u8(b, i) << 8 | u8(b, i + 1);
    }

    static int int32(byte[] b, int i) {
        return u16(b, i) << 16 | u16(b, i + 2);
    }

    /** What our packetizer must produce for one frame, checked field by field. */
    static void assertConformant(List<byte[]> packets) {
        assertTrue(!packets.isEmpty());
        final byte[] first = packets.get(0);
        final int ts = int32(first, 4), ssrc = int32(first, 8), seq0 = u16(first, 2);
        final int type = u8(first, 16), q = u8(first, 17), w8 = u8(first, 18), h8 = u8(first, 19);
        assertTrue(type == 0 || type == 1 || type == 64 || type == 65, "type " + type);
        assertEquals(255, q, "Q");
        int dri = 0, scan = 0;
        for (int i = 0; i < packets.size(); i++) {
            final byte[] p = packets.get(i);
            assertEquals(0x80, u8(p, 0), "V=2, P=0, X=0, CC=0");
            assertEquals(26 | (i == packets.size() - 1 ? 0x80 : 0), u8(p, 1), "marker and PT in packet " + i);
            assertEquals((seq0 + i) & 0xFFFF, u16(p, 2), "sequence");
            assertEquals(ts, int32(p, 4), "timestamp");
            assertEquals(ssrc, int32(p, 8), "ssrc");
            assertEquals(0, u8(p, 12), "type-specific");
            final int offset = u8(p, 13) << 16 | u16(p, 14);
            assertEquals(scan, offset, "fragment offset of packet " + i);
            assertEquals(type, u8(p, 16), "type is the same in every packet");
            assertEquals(q, u8(p, 17), "Q is the same in every packet");
            assertEquals(w8, u8(p, 18));
            assertEquals(h8, u8(p, 19));
            int at = 20;
            if (type >= 64) {
                final int interval = u16(p, at);
                assertTrue(interval > 0, "restart interval");
                assertTrue(i == 0 || interval == dri, "same restart interval in every packet");
                dri = interval;
                assertEquals(0xFFFF, u16(p, at + 2), "F=1 L=1 count=0x3FFF");
                at += 4;
            }
            if (offset == 0) {
                assertEquals(0, u8(p, at), "MBZ");
                assertEquals(0, u8(p, at + 1), "precision: 8-bit tables");
                assertEquals(128, u16(p, at + 2), "table length");
                at += 4 + 128;
            }
            scan += p.length - at;
        }
    }

    /**
     * Feeds one frame's packets, in the given order, to a fresh depacketizer and returns the frame it
     * completes with the last packet (no frame before it).
     *
     * @param width size as an SDP {@code a=x-dimensions} gives it, 0 for the header's
     * @param height likewise
     */
    static byte[] rebuild(List<byte[]> packets, int width, int height) {
        final RtpJpegDepacketizer d = new RtpJpegDepacketizer();
        d.setDimensions(width, height);
        ByteBuffer frame = null;
        for (int i = 0; i < packets.size(); i++) {
            frame = d.receive(ByteBuffer.wrap(packets.get(i)));
            if (i < packets.size() - 1) {
                assertNull(frame, "no frame before the last packet");
            }
        }
        assertNotNull(frame, "the last packet completes the frame");
        assertEquals(0, d.droppedFrames() + d.invalidPackets() + d.latePackets());
        final byte[] out = new byte[frame.remaining()];
        frame.get(out);
        return out;
    }
}
