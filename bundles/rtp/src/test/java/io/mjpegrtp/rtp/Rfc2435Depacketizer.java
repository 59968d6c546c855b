package io.mjpegrtp.rtp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.util.List;

/**
 * A receiver written from RFC 2435 alone: checks the packets of one frame the way a strict receiver would,
 * then rebuilds a JFIF with the headers of Appendix A/B (standard Huffman tables, the in-band quantization
 * tables, DRI for types 64..127, component ids 0, 1, 2 as in the RFC's MakeHeaders).
 */
final class Rfc2435Depacketizer {
    private Rfc2435Depacketizer() {
    }

    /**
     * @param packets one frame's RTP packets in order
     * @param realWidth picture width as an SDP {@code a=x-dimensions} would give it, 0 to use the header's
     * @param realHeight likewise
     * @return the rebuilt JPEG file
     */
    static byte[] rebuild(List<byte[]> packets, int realWidth, int realHeight) {
        assertTrue(!packets.isEmpty());
        byte[] first = packets.get(0);
        final int ts = int32(first, 4), ssrc = int32(first, 8), seq0 = u16(first, 2);
        final int type = u8(first, 16), q = u8(first, 17), w8 = u8(first, 18), h8 = u8(first, 19);
        assertTrue(type == 0 || type == 1 || type == 64 || type == 65, "type " + type);
        assertEquals(255, q, "Q");
        int dri = 0;
        byte[] tables = null;
        ByteArrayOutputStream scan = new ByteArrayOutputStream();
        for (int i = 0; i < packets.size(); i++) {
            byte[] p = packets.get(i);
            assertEquals(0x80, u8(p, 0), "V=2, P=0, X=0, CC=0");
            assertEquals(26 | (i == packets.size() - 1 ? 0x80 : 0), u8(p, 1), "marker and PT in packet " + i);
            assertEquals((seq0 + i) & 0xFFFF, u16(p, 2), "sequence");
            assertEquals(ts, int32(p, 4), "timestamp");
            assertEquals(ssrc, int32(p, 8), "ssrc");
            assertEquals(0, u8(p, 12), "type-specific");
            int offset = u8(p, 13) << 16 | u16(p, 14);
            assertEquals(scan.size(), offset, "fragment offset of packet " + i);
            assertEquals(type, u8(p, 16), "type is the same in every packet");
            assertEquals(q, u8(p, 17), "Q is the same in every packet");
            assertEquals(w8, u8(p, 18));
            assertEquals(h8, u8(p, 19));
            int at = 20;
            if (type >= 64) {
                int interval = u16(p, at);
                assertTrue(interval > 0, "restart interval");
                assertTrue(i == 0 || interval == dri, "same restart interval in every packet");
                dri = interval;
                assertEquals(0xFFFF, u16(p, at + 2), "F=1 L=1 count=0x3FFF");
                at += 4;
            }
            if (offset == 0) { // Q >= 128: quantization table header in the first packet
                assertEquals(0, u8(p, at), "MBZ");
                assertEquals(0, u8(p, at + 1), "precision: 8-bit tables");
                assertEquals(128, u16(p, at + 2), "table length");
                tables = java.util.Arrays.copyOfRange(p, at + 4, at + 4 + 128);
                at += 4 + 128;
            }
            scan.write(p, at, p.length - at);
        }
        assertTrue(tables != null, "tables present");
        int width = realWidth > 0 ? realWidth : w8 * 8, height = realHeight > 0 ? realHeight : h8 * 8;
        return makeJfif(type & 63, width, height, tables, dri, scan.toByteArray());
    }

    /** RFC 2435 Appendix B MakeHeaders, then the scan and EOI. */
    static byte[] makeJfif(int type, int w, int h, byte[] tables, int dri, byte[] scan) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        put(o, 0xFF, 0xD8);
        for (int t = 0; t < 2; t++) { // MakeQuantHeader
            put(o, 0xFF, 0xDB, 0, 67, t);
            o.write(tables, 64 * t, 64);
        }
        if (dri != 0) { // MakeDRIHeader
            put(o, 0xFF, 0xDD, 0, 4, dri >> 8, dri & 0xFF);
        }
        put(o, 0xFF, 0xC0, 0, 17, 8, h >> 8, h & 0xFF, w >> 8, w & 0xFF, 3);
        put(o, 0, type == 0 ? 0x21 : 0x22, 0, 1, 0x11, 1, 2, 0x11, 1);
        huffman(o, LUM_DC_CODELENS, LUM_DC_SYMBOLS, 0, 0);
        huffman(o, LUM_AC_CODELENS, LUM_AC_SYMBOLS, 0, 1);
        huffman(o, CHM_DC_CODELENS, CHM_DC_SYMBOLS, 1, 0);
        huffman(o, CHM_AC_CODELENS, CHM_AC_SYMBOLS, 1, 1);
        put(o, 0xFF, 0xDA, 0, 12, 3, 0, 0, 1, 0x11, 2, 0x11, 0, 63, 0);
        o.write(scan, 0, scan.length);
        put(o, 0xFF, 0xD9);
        return o.toByteArray();
    }

    private static void huffman(ByteArrayOutputStream o, int[] codelens, int[] symbols, int tableNo, int tableClass) {
        int len = 3 + codelens.length + symbols.length;
        put(o, 0xFF, 0xC4, len >> 8, len & 0xFF, tableClass << 4 | tableNo);
        put(o, codelens);
        put(o, symbols);
    }

    private static void put(ByteArrayOutputStream o, int... bytes) {
        for (int b : bytes) {
            o.write(b);
        }
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

    // RFC 2435 Appendix B, typed in from the RFC rather than shared with the code under test.
    private static final int[] LUM_DC_CODELENS = {0, 1, 5, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0};
    private static final int[] LUM_DC_SYMBOLS = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11};
    private static final int[] LUM_AC_CODELENS = {0, 2, 1, 3, 3, 2, 4, 3, 5, 5, 4, 4, 0, 0, 1, 0x7d};
    private static final int[] LUM_AC_SYMBOLS = {
        0x01, 0x02, 0x03, 0x00, 0x04, 0x11, 0x05, 0x12, 0x21, 0x31, 0x41, 0x06, 0x13, 0x51, 0x61, 0x07,
        0x22, 0x71, 0x14, 0x32, 0x81, 0x91, 0xa1, 0x08, 0x23, 0x42, 0xb1, 0xc1, 0x15, 0x52, 0xd1, 0xf0,
        0x24, 0x33, 0x62, 0x72, 0x82, 0x09, 0x0a, 0x16, 0x17, 0x18, 0x19, 0x1a, 0x25, 0x26, 0x27, 0x28,
        0x29, 0x2a, 0x34, 0x35, 0x36, 0x37, 0x38, 0x39, 0x3a, 0x43, 0x44, 0x45, 0x46, 0x47, 0x48, 0x49,
        0x4a, 0x53, 0x54, 0x55, 0x56, 0x57, 0x58, 0x59, 0x5a, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68, 0x69,
        0x6a, 0x73, 0x74, 0x75, 0x76, 0x77, 0x78, 0x79, 0x7a, 0x83, 0x84, 0x85, 0x86, 0x87, 0x88, 0x89,
        0x8a, 0x92, 0x93, 0x94, 0x95, 0x96, 0x97, 0x98, 0x99, 0x9a, 0xa2, 0xa3, 0xa4, 0xa5, 0xa6, 0xa7,
        0xa8, 0xa9, 0xaa, 0xb2, 0xb3, 0xb4, 0xb5, 0xb6, 0xb7, 0xb8, 0xb9, 0xba, 0xc2, 0xc3, 0xc4, 0xc5,
        0xc6, 0xc7, 0xc8, 0xc9, 0xca, 0xd2, 0xd3, 0xd4, 0xd5, 0xd6, 0xd7, 0xd8, 0xd9, 0xda, 0xe1, 0xe2,
        0xe3, 0xe4, 0xe5, 0xe6, 0xe7, 0xe8, 0xe9, 0xea, 0xf1, 0xf2, 0xf3, 0xf4, 0xf5, 0xf6, 0xf7, 0xf8,
        0xf9, 0xfa};
    private static final int[] CHM_DC_CODELENS = {0, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0};
    private static final int[] CHM_DC_SYMBOLS = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11};
    private static final int[] CHM_AC_CODELENS = {0, 2, 1, 2, 4, 4, 3, 4, 7, 5, 4, 4, 0, 1, 2, 0x77};
    private static final int[] CHM_AC_SYMBOLS = {
        0x00, 0x01, 0x02, 0x03, 0x11, 0x04, 0x05, 0x21, 0x31, 0x06, 0x12, 0x41, 0x51, 0x07, 0x61, 0x71,
        0x13, 0x22, 0x32, 0x81, 0x08, 0x14, 0x42, 0x91, 0xa1, 0xb1, 0xc1, 0x09, 0x23, 0x33, 0x52, 0xf0,
        0x15, 0x62, 0x72, 0xd1, 0x0a, 0x16, 0x24, 0x34, 0xe1, 0x25, 0xf1, 0x17, 0x18, 0x19, 0x1a, 0x26,
        0x27, 0x28, 0x29, 0x2a, 0x35, 0x36, 0x37, 0x38, 0x39, 0x3a, 0x43, 0x44, 0x45, 0x46, 0x47, 0x48,
        0x49, 0x4a, 0x53, 0x54, 0x55, 0x56, 0x57, 0x58, 0x59, 0x5a, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68,
        0x69, 0x6a, 0x73, 0x74, 0x75, 0x76, 0x77, 0x78, 0x79, 0x7a, 0x82, 0x83, 0x84, 0x85, 0x86, 0x87,
        0x88, 0x89, 0x8a, 0x92, 0x93, 0x94, 0x95, 0x96, 0x97, 0x98, 0x99, 0x9a, 0xa2, 0xa3, 0xa4, 0xa5,
        0xa6, 0xa7, 0xa8, 0xa9, 0xaa, 0xb2, 0xb3, 0xb4, 0xb5, 0xb6, 0xb7, 0xb8, 0xb9, 0xba, 0xc2, 0xc3,
        0xc4, 0xc5, 0xc6, 0xc7, 0xc8, 0xc9, 0xca, 0xd2, 0xd3, 0xd4, 0xd5, 0xd6, 0xd7, 0xd8, 0xd9, 0xda,
        0xe2, 0xe3, 0xe4, 0xe5, 0xe6, 0xe7, 0xe8, 0xe9, 0xea, 0xf2, 0xf3, 0xf4, 0xf5, 0xf6, 0xf7, 0xf8,
        0xf9, 0xfa};
}
