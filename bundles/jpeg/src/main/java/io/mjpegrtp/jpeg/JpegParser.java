package io.mjpegrtp.jpeg;

import java.nio.ByteBuffer;

/**
 * Checks that a JPEG can be sent as RTP/JPEG (RFC 2435) without re-encoding and fills a {@link JpegInfo}.
 *
 * <p>Accepted: baseline or extended sequential Huffman (SOF0/SOF1), 8-bit samples, three components
 * Y, Cb, Cr with luma sampled 2x1 (4:2:2) or 2x2 (4:2:0) and chroma 1x1, Cb and Cr sharing one
 * quantization table, 8-bit quantization tables (16-bit ones whose values all fit in 8 bits are
 * converted), optional DRI, the standard (JPEG Annex K) Huffman tables or no DHT at all, one interleaved
 * scan ended by EOI; YCbCr as libjpeg decides it (JFIF, else Adobe APP14 transform, else component ids
 * other than R, G, B), since receivers rebuild a YCbCr header. Everything else is rejected with a {@link JpegFormatException} naming the reason.
 *
 * <p>Problems that {@link JpegRecoder} fixes losslessly (non-standard Huffman tables, a 4:2:2 or 4:2:0
 * picture whose sampling factors are not the RFC's, grayscale) are
 * reported only once the headers are otherwise valid, with {@link JpegFormatException#recodable()} true;
 * every other problem is reported at once with it false.
 *
 * <p>Segments are walked by their length from SOI, so markers inside APPn payloads (an EXIF thumbnail)
 * are never mistaken for the picture's own. Work is linear in the input; random input yields either
 * success or {@code JpegFormatException}. A parser allocates nothing per call once created, and is not
 * thread-safe: use one per sending thread.
 */
public final class JpegParser {
    /** The longest scan RFC 2435 can carry: fragment offsets are 24 bits. */
    public static final int MAX_SCAN_BYTES = 1 << 24;

    // Huffman slot states, index class * 4 + id (class 0 = DC, 1 = AC).
    private static final byte UNDEFINED = 0, STD_LUMA = 1, STD_CHROMA = 2, OTHER = 3;
    // The first recodable problem, kept as a code so that the accepting path builds no string.
    private static final int FINE = 0, GRAY = 1, SAMPLING = 2, HUFFMAN = 3;

    private final byte[] qt = new byte[4 * 64];
    private final byte[] huffman = new byte[8];
    private final int[] compId = new int[3], compSampling = new int[3], compTq = new int[3];
    private int qtDefined, nf, recode, recodeTc, recodeTh, recodeRole, recodeComponent;
    private boolean jfif;
    private int adobeTransform;

    /**
     * Parses the JPEG between {@code jpeg.position()} and {@code jpeg.limit()} using absolute gets only:
     * position, limit and mark of {@code jpeg} are left alone. Bytes after EOI are ignored.
     *
     * @param jpeg the picture; absolute indexes reported in {@code into} refer to this buffer
     * @param into receives the result
     * @throws JpegFormatException when the data is not a JPEG RFC 2435 can carry as is
     */
    public void parse(ByteBuffer jpeg, JpegInfo into) throws JpegFormatException {
        final int start = jpeg.position(), end = jpeg.limit();
        qtDefined = 0;
        jfif = false;
        adobeTransform = -1;
        recode = FINE;
        java.util.Arrays.fill(huffman, UNDEFINED);
        into.restartInterval = 0;
        into.start = start;
        boolean sof = false;
        if (end - start < 2 || u8(jpeg, start) != 0xFF || u8(jpeg, start + 1) != 0xD8) {
            throw new JpegFormatException("not a JPEG: no SOI marker");
        }
        int p = start + 2;
        for (;;) {
            if (p >= end) {
                throw new JpegFormatException("truncated JPEG: no SOS marker before the end of the data ("
                        + (end - start) + " bytes)");
            }
            if (u8(jpeg, p) != 0xFF) {
                throw new JpegFormatException(String.format(
                        "malformed JPEG: expected a marker at offset %d, found 0x%02X", p - start, u8(jpeg, p)));
            }
            int q = p + 1;
            while (q < end && u8(jpeg, q) == 0xFF) { // fill bytes may precede a marker
                q++;
            }
            if (q >= end) {
                throw new JpegFormatException("truncated JPEG: data ends inside a marker at offset " + (p - start));
            }
            final int m = u8(jpeg, q), at = q - 1 - start;
            if (m == 0xD8) {
                throw new JpegFormatException("malformed JPEG: second SOI marker at offset " + at + " before the scan");
            }
            if (m == 0xD9) {
                throw new JpegFormatException("malformed JPEG: EOI at offset " + at + " before any SOS (no scan)");
            }
            if (m == 0x00) {
                throw new JpegFormatException("malformed JPEG: invalid marker 0xFF00 at offset " + at);
            }
            if (m == 0x01 || (m >= 0xD0 && m <= 0xD7)) { // TEM, RSTn: no length field
                p = q + 1;
                continue;
            }
            if (q + 3 > end) {
                throw truncated(m, at, end - start);
            }
            final int len = u16(jpeg, q + 1), body = q + 3, next = q + 1 + len;
            if (len < 2) {
                throw new JpegFormatException("malformed JPEG: segment " + markerName(m) + " at offset " + at
                        + " has invalid length " + len);
            }
            if (next > end) {
                throw truncated(m, at, end - start);
            }
            switch (m) {
                case 0xDB -> dqt(jpeg, body, next, at);
                case 0xC4 -> dht(jpeg, body, next, at);
                case 0xDD -> {
                    if (len != 4) {
                        throw new JpegFormatException("malformed JPEG: DRI at offset " + at + " has length " + len
                                + " (expected 4)");
                    }
                    into.restartInterval = u16(jpeg, body);
                }
                case 0xC0, 0xC1 -> {
                    if (sof) {
                        throw new JpegFormatException("malformed JPEG: second SOF at offset " + at);
                    }
                    sof(jpeg, m, body, len, at, into);
                    sof = true;
                }
                case 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF -> throw unsupportedSof(m);
                case 0xDA -> {
                    if (!sof) {
                        throw new JpegFormatException("malformed JPEG: SOS at offset " + at + " before any SOF");
                    }
                    checkYCbCr(jfif, adobeTransform, nf, compId);
                    sos(jpeg, body, len, at, into);
                    scan(jpeg, next, start, end, into);
                    return;
                }
                // APP0 JFIF and APP14 Adobe decide, as in libjpeg, whether 3 components are YCbCr or RGB.
                case 0xE0 -> jfif |= len >= 16 && u8(jpeg, body) == 'J' && u8(jpeg, body + 1) == 'F'
                        && u8(jpeg, body + 2) == 'I' && u8(jpeg, body + 3) == 'F' && u8(jpeg, body + 4) == 0;
                case 0xEE -> {
                    if (len >= 14 && u8(jpeg, body) == 'A' && u8(jpeg, body + 1) == 'd' && u8(jpeg, body + 2) == 'o'
                            && u8(jpeg, body + 3) == 'b' && u8(jpeg, body + 4) == 'e') {
                        adobeTransform = u8(jpeg, body + 11);
                    }
                }
                default -> { } // other APPn, COM, DAC, DNL and reserved markers carry nothing RFC 2435 needs
            }
            p = next;
        }
    }

    private void dqt(ByteBuffer b, int p, int next, int at) throws JpegFormatException {
        while (p < next) {
            final int pq = u8(b, p) >> 4, tq = u8(b, p) & 15;
            if (tq > 3) {
                throw new JpegFormatException("malformed JPEG: DQT at offset " + at + " defines table " + tq
                        + " (valid: 0..3)");
            }
            if (pq > 1) {
                throw new JpegFormatException("malformed JPEG: DQT at offset " + at + " has precision " + pq
                        + " (valid: 0 = 8-bit, 1 = 16-bit)");
            }
            final int size = 64 << pq;
            if (p + 1 + size > next) {
                throw new JpegFormatException("malformed JPEG: DQT at offset " + at + " is shorter than its tables");
            }
            for (int i = 0; i < 64; i++) {
                int v = pq == 0 ? u8(b, p + 1 + i) : u16(b, p + 1 + 2 * i);
                if (v > 255) { // 16-bit tables are fine only when every value fits RFC 2435's 8-bit tables
                    throw new JpegFormatException("16-bit quantization table " + tq + " has values above 255"
                            + " (" + v + "); RFC 2435 carries 8-bit tables only");
                }
                qt[tq * 64 + i] = (byte) v;
            }
            qtDefined |= 1 << tq;
            p += 1 + size;
        }
    }

    private void dht(ByteBuffer b, int p, int next, int at) throws JpegFormatException {
        while (p < next) {
            final int tc = u8(b, p) >> 4, th = u8(b, p) & 15;
            if (tc > 1 || th > 3) {
                throw new JpegFormatException("malformed JPEG: DHT at offset " + at + " defines table class " + tc
                        + " id " + th + " (valid: class 0..1, id 0..3)");
            }
            if (p + 17 > next) {
                throw new JpegFormatException("malformed JPEG: DHT at offset " + at + " is shorter than its tables");
            }
            int count = 0;
            for (int i = 1; i <= 16; i++) {
                count += u8(b, p + i);
            }
            if (p + 17 + count > next) {
                throw new JpegFormatException("malformed JPEG: DHT at offset " + at + " is shorter than its tables");
            }
            final byte[] luma = tc == 0 ? StandardHuffman.DC_LUMA : StandardHuffman.AC_LUMA;
            final byte[] chroma = tc == 0 ? StandardHuffman.DC_CHROMA : StandardHuffman.AC_CHROMA;
            huffman[tc * 4 + th] = equal(b, p + 1, 16 + count, luma) ? STD_LUMA
                    : equal(b, p + 1, 16 + count, chroma) ? STD_CHROMA : OTHER;
            p += 17 + count;
        }
    }

    private void sof(ByteBuffer b, int m, int p, int len, int at, JpegInfo into) throws JpegFormatException {
        if (len < 8) {
            throw new JpegFormatException("malformed JPEG: SOF" + (m - 0xC0) + " at offset " + at + " is too short");
        }
        final int precision = u8(b, p), height = u16(b, p + 1), width = u16(b, p + 3);
        nf = u8(b, p + 5);
        if (precision != 8) {
            throw new JpegFormatException(precision + "-bit sample precision is not supported;"
                    + " RFC 2435 carries 8-bit samples only");
        }
        if (nf != 3 && nf != 1) {
            String what = nf == 4 ? "4-component JPEG (CMYK/YCCK)" : "JPEG with " + nf + " components";
            throw new JpegFormatException(what + " is not supported; accepted: 3 components (Y, Cb, Cr)");
        }
        if (len != 8 + 3 * nf) {
            throw new JpegFormatException("malformed JPEG: SOF" + (m - 0xC0) + " at offset " + at + " has length "
                    + len + " (expected " + (8 + 3 * nf) + " for " + nf + " component" + (nf == 1 ? ")" : "s)"));
        }
        if (width == 0 || height == 0) {
            throw new JpegFormatException("picture size " + width + "x" + height
                    + " is not supported; width and height must be at least 1 (no DNL)");
        }
        for (int i = 0; i < nf; i++) {
            compId[i] = u8(b, p + 6 + 3 * i);
            compSampling[i] = u8(b, p + 7 + 3 * i);
            compTq[i] = u8(b, p + 8 + 3 * i);
            if (compTq[i] > 3) {
                throw new JpegFormatException("malformed JPEG: component " + i + " uses quantization table "
                        + compTq[i] + " (valid: 0..3)");
            }
        }
        into.width = width;
        into.height = height;
        if (nf == 1) {
            recodeLater(GRAY);
            return;
        }
        if (compId[0] == compId[1] || compId[0] == compId[2] || compId[1] == compId[2]) {
            throw new JpegFormatException("malformed JPEG: SOF at offset " + at + " repeats a component id");
        }
        final int y = compSampling[0];
        if ((y != 0x21 && y != 0x22) || compSampling[1] != 0x11 || compSampling[2] != 0x11) {
            if (!recodableSampling(compSampling[0], compSampling[1], compSampling[2])) {
                throw new JpegFormatException(samplingReason(compSampling[0], compSampling[1], compSampling[2]));
            }
            recodeLater(SAMPLING);
        }
        into.rtpType = y == 0x21 ? JpegInfo.TYPE_422 : JpegInfo.TYPE_420;
    }

    /**
     * True for 4:2:2 or 4:2:0 content in another form (luma 2x2 with chroma 1x2, as FFmpeg writes
     * yuvj422p; luma 4x1 with chroma 2x1): Cb and Cr alike, luma twice as wide and as high or twice as
     * high, factors 1..4 and at most 10 blocks per MCU as libjpeg requires.
     */
    static boolean recodableSampling(int y, int cb, int cr) {
        final int hy = y >> 4, vy = y & 15, hc = cb >> 4, vc = cb & 15;
        return cb == cr && hc >= 1 && vc >= 1 && hy <= 4 && vy <= 4 && hy == 2 * hc
                && (vy == vc || vy == 2 * vc) && hy * vy + 2 * hc * vc <= 10;
    }

    private void recodeLater(int reason) {
        if (recode == FINE) {
            recode = reason;
        }
    }

    private void sos(ByteBuffer b, int p, int len, int at, JpegInfo into) throws JpegFormatException {
        final int ns = len > 2 ? u8(b, p) : 0;
        if (ns != nf) {
            throw new JpegFormatException("scan with " + ns + " component(s) is not supported;"
                    + " RFC 2435 carries one interleaved scan of Y, Cb and Cr");
        }
        if (len != 6 + 2 * ns) {
            throw new JpegFormatException("malformed JPEG: SOS at offset " + at + " has length " + len
                    + " (expected " + (6 + 2 * ns) + " for " + ns + " component" + (ns == 1 ? ")" : "s)"));
        }
        int seen = 0;
        for (int i = 0; i < ns; i++) {
            final int id = u8(b, p + 1 + 2 * i);
            int c = 0;
            while (c < nf && compId[c] != id) {
                c++;
            }
            if (c == nf || (seen & (1 << c)) != 0) {
                throw new JpegFormatException("malformed JPEG: SOS at offset " + at + " names component id " + id
                        + (c == nf ? ", which the frame does not define" : " twice"));
            }
            seen |= 1 << c;
            if (c != i) { // T.81 B.2.3 wants frame order, and libjpeg enforces it
                throw new JpegFormatException(SCAN_ORDER);
            }
            final int tables = u8(b, p + 2 + 2 * i), role = c == 0 ? STD_LUMA : STD_CHROMA;
            checkHuffman(0, tables >> 4, role, c);
            checkHuffman(1, tables & 15, role, c);
        }
        if (u8(b, p + 1 + 2 * ns) != 0 || u8(b, p + 2 + 2 * ns) != 63 || u8(b, p + 3 + 2 * ns) != 0) {
            throw new JpegFormatException("malformed JPEG: SOS at offset " + at
                    + " is not a sequential scan (Ss=0, Se=63, Ah=Al=0)");
        }
        for (int i = 0; i < nf; i++) {
            if ((qtDefined & (1 << compTq[i])) == 0) {
                throw new JpegFormatException("quantization table " + compTq[i] + " used by "
                        + (i == 0 ? "Y" : "Cb/Cr") + " is not defined (no DQT before the scan)");
            }
        }
        // Separate Cb and Cr tables with equal values are one table as far as a receiver can tell.
        if (nf == 3 && compTq[1] != compTq[2] && !java.util.Arrays.equals(
                qt, compTq[1] * 64, compTq[1] * 64 + 64, qt, compTq[2] * 64, compTq[2] * 64 + 64)) {
            throw separateChromaTables(compTq[1], compTq[2]);
        }
        final int chroma = nf == 3 ? compTq[1] : compTq[0];
        System.arraycopy(qt, compTq[0] * 64, into.tables, 0, 64);
        System.arraycopy(qt, chroma * 64, into.tables, 64, 64);
        into.sharedTable = compTq[0] == chroma;
        if (recode != FINE) {
            throw new JpegFormatException(recodeReason(), true);
        }
    }

    private String recodeReason() {
        return switch (recode) {
            case GRAY -> "grayscale JPEG (1 component) is not supported; accepted: 3 components (Y, Cb, Cr)";
            case SAMPLING -> samplingReason(compSampling[0], compSampling[1], compSampling[2]);
            default -> "Huffman table " + (recodeTc == 0 ? "DC" : "AC") + recodeTh + " used by "
                    + (recodeComponent == 0 ? "Y" : recodeComponent == 1 ? "Cb" : "Cr") + " is "
                    + (huffman[recodeTc * 4 + recodeTh] == UNDEFINED
                    ? "not defined (without DHT only DC0/AC0 for luma and DC1/AC1 for chroma are implied)"
                    : "not the standard (JPEG Annex K) " + (recodeRole == STD_LUMA ? "luma" : "chroma") + " table")
                    + "; RFC 2435 receivers assume the standard tables";
        };
    }

    /** Receivers rebuild a YCbCr frame header: an RGB JPEG (libjpeg's rules, jdapimin.c) would decode wrongly. */
    static void checkYCbCr(boolean jfif, int adobeTransform, int nf, int[] compId) throws JpegFormatException {
        if (jfif || nf == 1) {
            return;
        }
        if (adobeTransform == 0) {
            throw new JpegFormatException("RGB JPEG (Adobe APP14 transform 0) is not supported; RFC 2435 carries YCbCr");
        }
        if (adobeTransform < 0 && compId[0] == 'R' && compId[1] == 'G' && compId[2] == 'B') {
            throw new JpegFormatException("RGB JPEG (component ids R, G, B) is not supported; RFC 2435 carries YCbCr");
        }
    }

    private void checkHuffman(int tc, int th, int role, int component) throws JpegFormatException {
        if (th > 3) {
            throw new JpegFormatException("malformed JPEG: scan selects Huffman table " + (tc == 0 ? "DC" : "AC") + th
                    + " (valid ids: 0..3)");
        }
        final int state = huffman[tc * 4 + th];
        // Without DHT, the MJPEG convention (AVI1) applies: id 0 is the standard luma, id 1 the chroma table.
        if (state == role || (state == UNDEFINED && th == role - 1)) {
            return;
        }
        if (state == UNDEFINED && th > 1) { // libjpeg only implies ids 0 and 1: nothing to decode with
            throw new JpegFormatException("Huffman table " + (tc == 0 ? "DC" : "AC") + th + " used by "
                    + (component == 0 ? "Y" : component == 1 ? "Cb" : "Cr")
                    + " is not defined (no DHT before the scan)");
        }
        if (recode == FINE) {
            recode = HUFFMAN;
            recodeTc = tc;
            recodeTh = th;
            recodeRole = role;
            recodeComponent = component;
        }
    }

    /** Finds EOI after the scan: skips 0xFF00 stuffing, RSTn and fill bytes; any other marker is a second scan. */
    private static void scan(ByteBuffer b, int p, int start, int end, JpegInfo into) throws JpegFormatException {
        final int scanStart = p;
        for (;;) {
            while (p < end && b.get(p) != (byte) 0xFF) {
                p++;
            }
            int q = p + 1;
            while (q < end && b.get(q) == (byte) 0xFF) {
                q++;
            }
            if (q >= end) {
                throw new JpegFormatException("truncated JPEG: no EOI marker after the scan (" + (end - start)
                        + " bytes)");
            }
            final int c = u8(b, q);
            if (c == 0xD9) {
                if (p == scanStart) {
                    throw new JpegFormatException("malformed JPEG: the scan is empty");
                }
                if (p - scanStart > MAX_SCAN_BYTES) {
                    throw new JpegFormatException("scan of " + (p - scanStart) + " bytes is longer than RFC 2435's"
                            + " 24-bit fragment offsets allow (" + MAX_SCAN_BYTES + " bytes); lower the size or quality");
                }
                into.scanOffset = scanStart;
                into.scanLength = p - scanStart;
                into.end = q + 1;
                return;
            }
            if (c != 0 && (c < 0xD0 || c > 0xD7)) {
                throw new JpegFormatException("marker " + markerName(c) + " at offset " + (q - 1 - start)
                        + " follows the first scan; multiple scans are not supported, RFC 2435 carries one scan");
            }
            p = q + 1;
        }
    }

    static final String SCAN_ORDER = "malformed JPEG: scan components are not in frame order (JPEG B.2.3);"
            + " RFC 2435 carries one interleaved scan of Y, Cb and Cr";

    static JpegFormatException separateChromaTables(int cb, int cr) {
        return new JpegFormatException("Cb and Cr use different quantization tables (" + cb + " and " + cr
                + "); RFC 2435 carries one chroma table");
    }

    static JpegFormatException unsupportedSof(int m) {
        final String kind = m == 0xC2 ? "progressive" : m == 0xC3 ? "lossless"
                : m >= 0xC5 && m <= 0xC7 ? "hierarchical" : m == 0xCA ? "progressive arithmetic-coded"
                : "arithmetic-coded";
        return new JpegFormatException(kind + " JPEG (SOF" + (m - 0xC0)
                + ") is not supported; RFC 2435 carries baseline (SOF0/SOF1) only");
    }

    static JpegFormatException truncated(int m, int at, int size) {
        return new JpegFormatException("truncated JPEG: segment " + markerName(m) + " at offset " + at
                + " runs past the end of the data (" + size + " bytes)");
    }

    static String samplingReason(int y, int cb, int cr) {
        return "component sampling " + sampling(y) + "/" + sampling(cb) + "/" + sampling(cr)
                + subsamplingName(y, cb, cr) + " is not supported; accepted: luma 2x1 (4:2:2) or 2x2 (4:2:0) with chroma 1x1";
    }

    /** Names the chroma subsampling the factors amount to, e.g. " (4:4:4)" for 1x2/1x2/1x2; "" when irregular. */
    private static String subsamplingName(int y, int c, int cr) {
        final int hy = y >> 4, vy = y & 15, hc = c >> 4, vc = c & 15;
        if (c != cr || hc == 0 || vc == 0 || hy % hc != 0 || vy % vc != 0) {
            return "";
        }
        return switch ((hy / hc) * 10 + vy / vc) {
            case 11 -> " (4:4:4)";
            case 12 -> " (4:4:0)";
            case 21 -> " (4:2:2)";
            case 22 -> " (4:2:0)";
            case 41 -> " (4:1:1)";
            case 42 -> " (4:1:0)";
            default -> "";
        };
    }

    static String sampling(int hv) {
        return (hv >> 4) + "x" + (hv & 15);
    }

    static String markerName(int m) {
        if (m >= 0xE0 && m <= 0xEF) {
            return "APP" + (m - 0xE0);
        }
        if (m >= 0xC0 && m <= 0xCF && m != 0xC4 && m != 0xC8 && m != 0xCC) {
            return "SOF" + (m - 0xC0);
        }
        if (m >= 0xD0 && m <= 0xD7) {
            return "RST" + (m - 0xD0);
        }
        return switch (m) {
            case 0xC4 -> "DHT";
            case 0xCC -> "DAC";
            case 0xD8 -> "SOI";
            case 0xD9 -> "EOI";
            case 0xDA -> "SOS";
            case 0xDB -> "DQT";
            case 0xDC -> "DNL";
            case 0xDD -> "DRI";
            case 0xFE -> "COM";
            default -> String.format("0xFF%02X", m);
        };
    }

    private static boolean equal(ByteBuffer b, int p, int n, byte[] table) {
        if (n != table.length) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            if (b.get(p + i) != table[i]) {
                return false;
            }
        }
        return true;
    }

    static int u8(ByteBuffer b, int i) {
        return b.get(i) & 0xFF;
    }

    static int u16(ByteBuffer b, int i) {
        return (b.get(i) & 0xFF) << 8 | (b.get(i + 1) & 0xFF);
    }
}
