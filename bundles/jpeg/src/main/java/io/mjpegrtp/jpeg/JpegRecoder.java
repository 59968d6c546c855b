package io.mjpegrtp.jpeg;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Re-codes a JPEG that {@link JpegParser} rejects for a {@linkplain JpegFormatException#recodable() recodable}
 * reason into one it accepts, without changing a single DCT coefficient: the Huffman symbols are decoded to
 * coefficients and written again with the standard (JPEG Annex K) tables RFC 2435 receivers assume.
 *
 * <p>Accepted input: baseline or extended sequential Huffman JPEG (SOF0/SOF1), 8-bit samples, one scan
 * holding all components, any valid Huffman tables (or none: ids 0 and 1 then mean the standard luma and
 * chroma tables, as in libjpeg), quantization tables whose values fit in 8 bits, optional DRI, and
 * <ul>
 * <li>YCbCr whose sampling is 4:2:2 or 4:2:0 in substance: the RFC's luma 2x1 or 2x2 with chroma 1x1 is
 *     kept; other forms (luma 2x2 with chroma 1x2, as FFmpeg writes yuvj422p; luma 4x1 with chroma 2x1)
 *     are re-laid out into it, block by block, with DC predictions recomputed;</li>
 * <li>grayscale, sent as 4:2:0 whose chroma blocks are all zero (samples of 128), so luma is unchanged.</li>
 * </ul>
 * Rejected, with {@link JpegFormatException} naming the property: progressive, lossless, hierarchical,
 * arithmetic-coded, 12-bit, 4:4:4 and other subsamplings, 2 or 4 components, RGB, Cb and Cr with
 * different quantization tables, tables above 255, scans without every component, corrupt entropy-coded data.
 *
 * <p>The output is SOI, JFIF APP0, DQT (8-bit: luma, then chroma unless equal), SOF0 with components 1, 2, 3,
 * one DHT with the four standard tables, DRI when the input had one, SOS, the scan, EOI. Other segments
 * (EXIF, comments) are dropped: RFC 2435 carries none. When the layout is kept, restart markers stay where
 * they were; when it changes, the interval is scaled by the ratio of MCU areas (at least 1, at most 65535),
 * so markers keep about the same density in pixels.
 *
 * <p>How: for each scan component, a table maps the next 10 bits of input (a Huffman code and the value
 * bits after it) to their length and to the standard code of the same symbol followed by the same value
 * bits, so most symbols cost one lookup; longer codes take a canonical-code slow path. When the layout is
 * kept, blocks go straight to the output in the same order. Otherwise a band of MCU rows is decoded into
 * per-block DC values and ready AC codes, then written in the output's MCU order with new DC differences.
 * Zero runs are re-coded canonically (ZRL only before a coefficient, EOB unless coefficient 63 is set);
 * no coefficient changes.
 *
 * <p>Work is linear in the input: every decoded block consumes at least two bits of it, a scan that ends
 * early is an error rather than zero-filled, and the output scan is limited to {@link #MAX_SCAN_BYTES}.
 * Buffers are reused: in steady state a call allocates nothing. Not thread-safe: use one per sending thread.
 */
public final class JpegRecoder {
    /** Largest scan written: the RFC 2435 fragment offset has 24 bits. */
    public static final int MAX_SCAN_BYTES = 1 << 24;

    // Lookahead width of the Huffman decoding tables: most codes, with their value bits, fit in 10 bits.
    private static final int FAST = 10;
    private static final int FAST_SIZE = 1 << FAST;
    private static final VarHandle BIG_ENDIAN_INT =
            MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle BIG_ENDIAN_LONG =
            MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
    // Kinds of AC transcoding table entries.
    private static final int COEFFICIENT = 0, EOB = 1, ZRL = 2;
    private static final String ENDS_EARLY = "the data ends early (at a marker or the end of the input)";
    // Worst case of one block with the standard tables: 22 DC bits, 63 x (16 + 10) AC bits, doubled by stuffing.
    private static final int MAX_BLOCK_BYTES = 2 * (22 + 63 * 26) / 8 + 2;

    private static final int[] DC_LUMA_CODE = new int[12], DC_CHROMA_CODE = new int[12];
    private static final int[] DC_LUMA_LEN = new int[12], DC_CHROMA_LEN = new int[12];
    private static final int[] AC_LUMA_CODE = new int[256], AC_CHROMA_CODE = new int[256];
    private static final int[] AC_LUMA_LEN = new int[256], AC_CHROMA_LEN = new int[256];

    static {
        encodeTable(StandardHuffman.DC_LUMA, DC_LUMA_CODE, DC_LUMA_LEN);
        encodeTable(StandardHuffman.DC_CHROMA, DC_CHROMA_CODE, DC_CHROMA_LEN);
        encodeTable(StandardHuffman.AC_LUMA, AC_LUMA_CODE, AC_LUMA_LEN);
        encodeTable(StandardHuffman.AC_CHROMA, AC_CHROMA_CODE, AC_CHROMA_LEN);
    }

    // ---- input ----
    private byte[] in;
    private int base, end;
    private byte[] copy = new byte[0]; // input of buffers without an accessible array

    // ---- headers ----
    private final byte[] qt = new byte[4 * 64];
    private int qtDefined;
    private final byte[][] huffBits = new byte[8][17], huffVals = new byte[8][256];
    private int huffDefined; // bit class * 4 + id
    private int width, height, nf, dri, adobeTransform;
    private boolean jfif;
    private final int[] compId = new int[3], compH = new int[3], compV = new int[3], compTq = new int[3];

    // ---- scan ----
    private int ns;
    private final int[] scanComp = new int[3], scanDc = new int[3], scanAc = new int[3];

    // ---- decoding tables, index class * 4 + id ----
    private final int[][] look = new int[8][FAST_SIZE]; // (length << 8) | symbol for codes up to FAST bits
    private final int[][] maxCode = new int[8][18], valOffset = new int[8][17];

    // ---- transcoding tables per scan component: FAST bits of input to the standard code of the same value ----
    // DC: (difference & 0xFFFF) << 32 | input length << 27 | output length << 22 | output bits
    // AC: kind << 40 | run << 36 | input length << 32 | output length << 26 | output bits
    private final long[][] dcPool = new long[3][FAST_SIZE], acPool = new long[3][FAST_SIZE];
    private final long[][] dcTrans = new long[3][], acTrans = new long[3][];

    // ---- bit reader ----
    private long bitBuf; // next bits left-aligned
    private int bitCnt, phantom, pos; // phantom: zero bits appended past the data, at the tail of bitBuf
    private final int[] dcPred = new int[3];
    private int mcu, mcuTotal; // for error messages

    // ---- a band of MCU rows, when blocks are re-laid out: per block its DC value and its AC codes ----
    private byte[] mid = new byte[1 << 16]; // standard AC codes without stuffing
    private int midPos, midBits;
    private long midAcc;
    private int[] blockDc = new int[0], blockFrom = new int[0], blockTo = new int[0]; // bit range in mid
    private final int[] cellBase = new int[3], cellCols = new int[3], cellRows = new int[3];

    // ---- output ----
    private byte[] out = new byte[1 << 16];
    private ByteBuffer view = ByteBuffer.wrap(out);
    private int op, scanStart;
    private long acc;
    private int accBits;
    private final int[] encPred = new int[3];

    /** Creates a re-coder; its buffers grow to the largest picture seen and are then reused. */
    public JpegRecoder() {
    }

    /**
     * Re-codes the JPEG between {@code jpeg.position()} and {@code jpeg.limit()} (read with absolute gets;
     * position, limit and mark are left alone). Bytes after the scan are ignored.
     *
     * @param jpeg a baseline JPEG, typically one {@link JpegParser} rejected as recodable
     * @return a view (position 0, limit = size) of an internal buffer holding the complete re-coded JPEG,
     *     valid until the next call; do not modify it
     * @throws JpegFormatException when the picture cannot be re-coded, naming the reason
     */
    public ByteBuffer recode(ByteBuffer jpeg) throws JpegFormatException {
        final int length = jpeg.remaining();
        if (jpeg.hasArray() && jpeg.array() != out) { // re-coding our own output must not overwrite it while reading
            in = jpeg.array();
            base = jpeg.arrayOffset() + jpeg.position();
        } else {
            if (copy.length < length) {
                copy = new byte[length];
            }
            jpeg.get(jpeg.position(), copy, 0, length);
            in = copy;
            base = 0;
        }
        end = base + length;
        try {
            readHeaders();
            recodeScan();
        } finally {
            in = null; // do not keep the caller's picture alive
        }
        view.clear().limit(op);
        return view;
    }

    // ======================================================================================== headers

    private void readHeaders() throws JpegFormatException {
        qtDefined = 0;
        huffDefined = 0;
        nf = 0;
        dri = 0;
        jfif = false;
        adobeTransform = -1;
        if (end - base < 2 || u8(base) != 0xFF || u8(base + 1) != 0xD8) {
            throw new JpegFormatException("not a JPEG: no SOI marker");
        }
        int p = base + 2;
        for (;;) {
            if (p >= end) {
                throw new JpegFormatException("truncated JPEG: no SOS marker before the end of the data ("
                        + (end - base) + " bytes)");
            }
            if (u8(p) != 0xFF) {
                throw new JpegFormatException(String.format(
                        "malformed JPEG: expected a marker at offset %d, found 0x%02X", p - base, u8(p)));
            }
            int q = p + 1;
            while (q < end && u8(q) == 0xFF) {
                q++;
            }
            if (q >= end) {
                throw new JpegFormatException("truncated JPEG: data ends inside a marker at offset " + (p - base));
            }
            final int m = u8(q), at = q - 1 - base;
            if (m == 0xD8 || m == 0xD9 || m == 0x00) {
                throw new JpegFormatException("malformed JPEG: " + (m == 0xD8 ? "second SOI" : m == 0xD9 ? "EOI"
                        : "invalid marker 0xFF00") + " at offset " + at + " before the scan");
            }
            if (m == 0x01 || (m >= 0xD0 && m <= 0xD7)) {
                p = q + 1;
                continue;
            }
            if (q + 3 > end) {
                throw JpegParser.truncated(m, at, end - base);
            }
            final int len = u16(q + 1), body = q + 3, next = q + 1 + len;
            if (len < 2) {
                throw new JpegFormatException("malformed JPEG: segment " + JpegParser.markerName(m) + " at offset "
                        + at + " has invalid length " + len);
            }
            if (next > end) {
                throw JpegParser.truncated(m, at, end - base);
            }
            switch (m) {
                case 0xDB -> dqt(body, next, at);
                case 0xC4 -> dht(body, next, at);
                case 0xDD -> {
                    if (len != 4) {
                        throw new JpegFormatException("malformed JPEG: DRI at offset " + at + " has length " + len
                                + " (expected 4)");
                    }
                    dri = u16(body);
                }
                case 0xC0, 0xC1 -> {
                    if (nf != 0) {
                        throw new JpegFormatException("malformed JPEG: second SOF at offset " + at);
                    }
                    sof(m, body, len, at);
                }
                case 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF ->
                        throw JpegParser.unsupportedSof(m);
                case 0xDA -> {
                    if (nf == 0) {
                        throw new JpegFormatException("malformed JPEG: SOS at offset " + at + " before any SOF");
                    }
                    JpegParser.checkYCbCr(jfif, adobeTransform, nf, compId);
                    sos(body, len, at);
                    pos = next;
                    return;
                }
                case 0xE0 -> jfif |= len >= 16 && u8(body) == 'J' && u8(body + 1) == 'F' && u8(body + 2) == 'I'
                        && u8(body + 3) == 'F' && u8(body + 4) == 0;
                case 0xEE -> {
                    if (len >= 14 && u8(body) == 'A' && u8(body + 1) == 'd' && u8(body + 2) == 'o'
                            && u8(body + 3) == 'b' && u8(body + 4) == 'e') {
                        adobeTransform = u8(body + 11);
                    }
                }
                default -> { } // nothing else matters for the picture
            }
            p = next;
        }
    }

    private void dqt(int p, int next, int at) throws JpegFormatException {
        while (p < next) {
            final int pq = u8(p) >> 4, tq = u8(p) & 15;
            if (tq > 3 || pq > 1) {
                throw new JpegFormatException("malformed JPEG: DQT at offset " + at + " defines table " + tq
                        + " with precision " + pq + " (valid: table 0..3, precision 0 = 8-bit or 1 = 16-bit)");
            }
            if (p + 1 + (64 << pq) > next) {
                throw new JpegFormatException("malformed JPEG: DQT at offset " + at + " is shorter than its tables");
            }
            for (int i = 0; i < 64; i++) {
                final int v = pq == 0 ? u8(p + 1 + i) : u16(p + 1 + 2 * i);
                if (v > 255) { // a coefficient's quantizer cannot change without changing the picture
                    throw new JpegFormatException("16-bit quantization table " + tq + " has values above 255"
                            + " (" + v + "); RFC 2435 carries 8-bit tables only");
                }
                qt[tq * 64 + i] = (byte) v;
            }
            qtDefined |= 1 << tq;
            p += 1 + (64 << pq);
        }
    }

    private void dht(int p, int next, int at) throws JpegFormatException {
        while (p < next) {
            final int tc = u8(p) >> 4, th = u8(p) & 15;
            if (tc > 1 || th > 3) {
                throw new JpegFormatException("malformed JPEG: DHT at offset " + at + " defines table class " + tc
                        + " id " + th + " (valid: class 0..1, id 0..3)");
            }
            if (p + 17 > next) {
                throw new JpegFormatException("malformed JPEG: DHT at offset " + at + " is shorter than its tables");
            }
            final int t = tc * 4 + th;
            int count = 0;
            for (int l = 1; l <= 16; l++) {
                huffBits[t][l] = (byte) u8(p + l);
                count += u8(p + l);
            }
            if (count > 256 || p + 17 + count > next) {
                throw new JpegFormatException("malformed JPEG: DHT at offset " + at + " is shorter than its tables");
            }
            System.arraycopy(in, p + 17, huffVals[t], 0, count);
            // As libjpeg: the codes must fit their lengths, and none may be all ones.
            int code = 0;
            for (int l = 1; l <= 16; l++) {
                code += huffBits[t][l] & 0xFF;
                if (code >= 1 << l) {
                    throw new JpegFormatException("malformed JPEG: DHT at offset " + at + " defines an invalid"
                            + " Huffman table " + (tc == 0 ? "DC" : "AC") + th + " (too many codes)");
                }
                code <<= 1;
            }
            huffDefined |= 1 << t;
            p += 17 + count;
        }
    }

    private void sof(int m, int p, int len, int at) throws JpegFormatException {
        if (len < 8) {
            throw new JpegFormatException("malformed JPEG: SOF" + (m - 0xC0) + " at offset " + at + " is too short");
        }
        final int precision = u8(p), n = u8(p + 5);
        height = u16(p + 1);
        width = u16(p + 3);
        if (precision != 8) {
            throw new JpegFormatException(precision + "-bit sample precision is not supported;"
                    + " RFC 2435 carries 8-bit samples only");
        }
        if (n != 3 && n != 1) {
            String what = n == 4 ? "4-component JPEG (CMYK/YCCK)" : "JPEG with " + n + " components";
            throw new JpegFormatException(what + " is not supported; accepted: 3 components (Y, Cb, Cr) or grayscale");
        }
        if (len != 8 + 3 * n) {
            throw new JpegFormatException("malformed JPEG: SOF" + (m - 0xC0) + " at offset " + at + " has length "
                    + len + " (expected " + (8 + 3 * n) + ")");
        }
        if (width == 0 || height == 0) {
            throw new JpegFormatException("picture size " + width + "x" + height
                    + " is not supported; width and height must be at least 1 (no DNL)");
        }
        for (int i = 0; i < n; i++) {
            compId[i] = u8(p + 6 + 3 * i);
            compH[i] = u8(p + 7 + 3 * i) >> 4;
            compV[i] = u8(p + 7 + 3 * i) & 15;
            compTq[i] = u8(p + 8 + 3 * i);
            if (compTq[i] > 3) {
                throw new JpegFormatException("malformed JPEG: component " + i + " uses quantization table "
                        + compTq[i] + " (valid: 0..3)");
            }
            if (compH[i] < 1 || compH[i] > 4 || compV[i] < 1 || compV[i] > 4) {
                throw new JpegFormatException("malformed JPEG: component " + i + " has sampling factors "
                        + JpegParser.sampling(u8(p + 7 + 3 * i)) + " (valid: 1..4)");
            }
        }
        nf = n;
        if (n == 1) {
            return;
        }
        if (compId[0] == compId[1] || compId[0] == compId[2] || compId[1] == compId[2]) {
            throw new JpegFormatException("malformed JPEG: SOF at offset " + at + " repeats a component id");
        }
        final int y = compH[0] << 4 | compV[0], cb = compH[1] << 4 | compV[1], cr = compH[2] << 4 | compV[2];
        if (!(cb == 0x11 && cr == 0x11 && (y == 0x21 || y == 0x22)) && !JpegParser.recodableSampling(y, cb, cr)) {
            throw new JpegFormatException(JpegParser.samplingReason(y, cb, cr));
        }
    }

    private void sos(int p, int len, int at) throws JpegFormatException {
        ns = len > 2 ? u8(p) : 0;
        if (ns != nf) {
            throw new JpegFormatException("scan with " + ns + " component(s) is not supported;"
                    + " the re-coder reads one scan holding every component");
        }
        if (len != 6 + 2 * ns) {
            throw new JpegFormatException("malformed JPEG: SOS at offset " + at + " has length " + len
                    + " (expected " + (6 + 2 * ns) + ")");
        }
        int seen = 0;
        for (int i = 0; i < ns; i++) {
            final int id = u8(p + 1 + 2 * i), tables = u8(p + 2 + 2 * i);
            int c = 0;
            while (c < nf && compId[c] != id) {
                c++;
            }
            if (c == nf || (seen & 1 << c) != 0) {
                throw new JpegFormatException("malformed JPEG: SOS at offset " + at + " names component id " + id
                        + (c == nf ? ", which the frame does not define" : " twice"));
            }
            if (c != i) {
                throw new JpegFormatException(JpegParser.SCAN_ORDER);
            }
            seen |= 1 << c;
            scanComp[i] = c;
            scanDc[i] = huffmanTable(0, tables >> 4, c);
            scanAc[i] = huffmanTable(1, tables & 15, c);
        }
        if (u8(p + 1 + 2 * ns) != 0 || u8(p + 2 + 2 * ns) != 63 || u8(p + 3 + 2 * ns) != 0) {
            throw new JpegFormatException("malformed JPEG: SOS at offset " + at
                    + " is not a sequential scan (Ss=0, Se=63, Ah=Al=0)");
        }
        for (int i = 0; i < nf; i++) {
            if ((qtDefined & 1 << compTq[i]) == 0) {
                throw new JpegFormatException("quantization table " + compTq[i] + " used by "
                        + (i == 0 ? "Y" : "Cb/Cr") + " is not defined (no DQT before the scan)");
            }
        }
        if (nf == 3 && compTq[1] != compTq[2] && !sameTable(compTq[1], compTq[2])) {
            throw JpegParser.separateChromaTables(compTq[1], compTq[2]);
        }
        // Build each table the scan uses once, and a transcoding table per distinct (tables, luma or chroma).
        int built = 0;
        for (int i = 0; i < 2 * ns; i++) {
            final int t = i < ns ? scanDc[i] : scanAc[i - ns];
            if ((built & 1 << t) == 0) {
                buildDecoder(t);
                built |= 1 << t;
            }
        }
        for (int i = 0; i < ns; i++) {
            int j = 0;
            while (j < i && !(scanDc[j] == scanDc[i] && scanAc[j] == scanAc[i]
                    && (scanComp[j] == 0) == (scanComp[i] == 0))) {
                j++;
            }
            if (j < i) {
                dcTrans[i] = dcTrans[j];
                acTrans[i] = acTrans[j];
            } else {
                dcTrans[i] = dcPool[i];
                acTrans[i] = acPool[i];
                buildTranscoders(i, scanComp[i] == 0);
            }
        }
    }

    /** The table slot for a component, loading the standard table into an undefined slot 0 or 1 as libjpeg does. */
    private int huffmanTable(int tc, int th, int component) throws JpegFormatException {
        final int t = tc * 4 + th;
        if (th > 3) {
            throw new JpegFormatException("malformed JPEG: scan selects Huffman table " + (tc == 0 ? "DC" : "AC") + th
                    + " (valid ids: 0..3)");
        }
        if ((huffDefined & 1 << t) != 0) {
            return t;
        }
        if (th > 1) {
            throw new JpegFormatException("Huffman table " + (tc == 0 ? "DC" : "AC") + th + " used by "
                    + (component == 0 ? "Y" : component == 1 ? "Cb" : "Cr")
                    + " is not defined (no DHT before the scan)");
        }
        final byte[] std = tc == 0 ? (th == 0 ? StandardHuffman.DC_LUMA : StandardHuffman.DC_CHROMA)
                : (th == 0 ? StandardHuffman.AC_LUMA : StandardHuffman.AC_CHROMA);
        System.arraycopy(std, 0, huffBits[t], 1, 16);
        System.arraycopy(std, 16, huffVals[t], 0, std.length - 16);
        huffDefined |= 1 << t;
        return t;
    }

    private boolean sameTable(int a, int b) {
        return Arrays.equals(qt, a * 64, a * 64 + 64, qt, b * 64, b * 64 + 64);
    }

    /** Canonical Huffman decoding tables (JPEG Annex C) with a lookahead of {@link #FAST} bits. */
    private void buildDecoder(int t) {
        final byte[] bits = huffBits[t], vals = huffVals[t];
        final int[] lk = look[t], mc = maxCode[t], vo = valOffset[t];
        Arrays.fill(lk, 0);
        int code = 0, k = 0;
        for (int l = 1; l <= 16; l++) {
            final int n = bits[l] & 0xFF;
            vo[l] = k - code;
            for (int i = 0; i < n; i++, code++, k++) {
                if (l <= FAST) {
                    final int first = code << (FAST - l);
                    Arrays.fill(lk, first, first + (1 << (FAST - l)), l << 8 | (vals[k] & 0xFF));
                }
            }
            mc[l] = n > 0 ? code - 1 : -1;
            code <<= 1;
        }
    }

    /**
     * Fills the transcoding tables of scan component {@code i}: for every FAST-bit lookahead whose code and
     * value bits both fit, the input length and the standard code followed by the same value bits.
     */
    private void buildTranscoders(int i, boolean luma) {
        final long[] dt = dcTrans[i], at = acTrans[i];
        Arrays.fill(dt, 0);
        Arrays.fill(at, 0);
        final int[] dcCode = luma ? DC_LUMA_CODE : DC_CHROMA_CODE, dcLen = luma ? DC_LUMA_LEN : DC_CHROMA_LEN;
        final int[] acCode = luma ? AC_LUMA_CODE : AC_CHROMA_CODE, acLen = luma ? AC_LUMA_LEN : AC_CHROMA_LEN;
        for (int index = 0; index < FAST_SIZE; index++) {
            int entry = look[scanDc[i]][index];
            if (entry != 0) {
                final int l = entry >>> 8, s = entry & 0xFF;
                if (s <= 11 && l + s <= FAST) {
                    final int raw = (index >> (FAST - l - s)) & ((1 << s) - 1);
                    final int diff = s == 0 ? 0 : raw < 1 << (s - 1) ? raw - (1 << s) + 1 : raw;
                    dt[index] = (long) (diff & 0xFFFF) << 32 | (long) (l + s) << 27 | (long) (dcLen[s] + s) << 22
                            | (long) dcCode[s] << s | raw;
                }
            }
            entry = look[scanAc[i]][index];
            if (entry != 0) {
                final int l = entry >>> 8, symbol = entry & 0xFF, r = symbol >> 4, s = symbol & 15;
                if (s == 0) {
                    at[index] = (long) (r == 15 ? ZRL : EOB) << 40 | (long) l << 32;
                } else if (s <= 10 && l + s <= FAST) {
                    final int raw = (index >> (FAST - l - s)) & ((1 << s) - 1);
                    at[index] = (long) r << 36 | (long) (l + s) << 32 | (long) (acLen[symbol] + s) << 26
                            | (long) acCode[symbol] << s | raw;
                }
            }
        }
    }

    // ======================================================================================== scan

    private void recodeScan() throws JpegFormatException {
        final boolean gray = nf == 1;
        // Source geometry: MCUs of the interleaved scan, or single blocks of the grayscale scan.
        final int hmax = gray ? 1 : compH[0], vmax = gray ? 1 : compV[0];
        final int mcusX = (width + 8 * hmax - 1) / (8 * hmax), mcusY = (height + 8 * vmax - 1) / (8 * vmax);
        int blocksPerMcu = 0;
        for (int c = 0; c < nf; c++) {
            blocksPerMcu += gray ? 1 : compH[c] * compV[c];
        }
        if (blocksPerMcu > 10) {
            throw new JpegFormatException("malformed JPEG: " + blocksPerMcu + " blocks per MCU (at most 10 allowed)");
        }
        // Target geometry: type 0 (4:2:2, Y 2x1) or type 1 (4:2:0, Y 2x2), chroma 1x1.
        final boolean is420 = gray || compV[0] == 2 * compV[1];
        final int dstV = is420 ? 2 : 1;
        final boolean canonical = !gray && compH[1] == 1 && compV[1] == 1;
        final int outDri = dri == 0 ? 0
                : (int) Math.max(1, Math.min(65535, (long) dri * 64 * hmax * vmax / (128 * dstV)));
        writeHeaders(is420, outDri);
        bitBuf = 0;
        bitCnt = 0;
        phantom = 0;
        dcPred[0] = dcPred[1] = dcPred[2] = 0;
        encPred[0] = encPred[1] = encPred[2] = 0;
        acc = 0;
        accBits = 0;
        mcuTotal = mcusX * mcusY;
        if (canonical) {
            transcodeDirect(mcusX, blocksPerMcu);
        } else {
            relayOut(gray, mcusX, mcusY, dstV, blocksPerMcu, outDri);
        }
        flushBits();
        out[op++] = (byte) 0xFF;
        out[op++] = (byte) 0xD9;
    }

    /**
     * The layout is kept: each block goes straight from the input's codes to the standard ones, in the same
     * order, so DC differences and restart markers stay as they are.
     */
    private void transcodeDirect(int mcusX, int blocksPerMcu) throws JpegFormatException {
        for (mcu = 0; mcu < mcuTotal; mcu++) {
            if (dri != 0 && mcu != 0 && mcu % dri == 0) {
                final int n = mcu / dri - 1 & 7;
                restart(n);
                flushBits();
                out[op++] = (byte) 0xFF;
                out[op++] = (byte) (0xD0 + n);
            }
            if (op + blocksPerMcu * MAX_BLOCK_BYTES + 16 > out.length) {
                grow(op + blocksPerMcu * MAX_BLOCK_BYTES + 16);
            }
            for (int i = 0; i < ns; i++) {
                final int c = scanComp[i];
                for (int b = compH[c] * compV[c]; b > 0; b--) {
                    transcodeBlock(i, c, true, 0);
                }
            }
            if (bitCnt < phantom) {
                throw corrupt(ENDS_EARLY);
            }
            if (op - scanStart > MAX_SCAN_BYTES) {
                throw scanTooLarge();
            }
        }
    }

    /**
     * The layout changes: a band of MCU rows (the larger of one input and one output MCU row) is decoded
     * into per-block DC values and standard AC codes, then written in the output's MCU order.
     */
    private void relayOut(boolean gray, int mcusX, int mcusY, int dstV, int blocksPerMcu, int outDri)
            throws JpegFormatException {
        final int dstMcusX = (width + 15) / 16, dstMcusY = (height + 8 * dstV - 1) / (8 * dstV);
        final int srcRowsPerBand = gray ? 2 : 1, dstRowsPerBand = gray ? 1 : compV[0] / dstV;
        int cells = 0;
        for (int c = 0; c < nf; c++) {
            cellBase[c] = cells;
            cellCols[c] = gray ? mcusX : mcusX * compH[c];
            cellRows[c] = gray ? 2 : compV[c];
            cells += cellCols[c] * cellRows[c];
        }
        if (blockDc.length < cells) {
            blockDc = new int[cells];
            blockFrom = new int[cells];
            blockTo = new int[cells];
        }
        int outMcu = 0, restarts = 0;
        for (int srcRow = 0, dstRow = 0; srcRow < mcusY; srcRow += srcRowsPerBand) {
            final int rows = Math.min(srcRowsPerBand, mcusY - srcRow);
            decodeBand(srcRow, rows, mcusX, gray, blocksPerMcu);
            for (int r = 0; r < dstRowsPerBand && dstRow < dstMcusY; r++, dstRow++) {
                for (int mx = 0; mx < dstMcusX; mx++, outMcu++) {
                    if (outDri != 0 && outMcu != 0 && outMcu % outDri == 0) {
                        flushBits();
                        out[op++] = (byte) 0xFF;
                        out[op++] = (byte) (0xD0 + (restarts++ & 7));
                        encPred[0] = encPred[1] = encPred[2] = 0;
                    }
                    if (op + 6 * MAX_BLOCK_BYTES + 16 > out.length) {
                        grow(op + 6 * MAX_BLOCK_BYTES + 16);
                    }
                    emitMcu(gray, mx, r, dstV, rows);
                }
                if (op - scanStart > MAX_SCAN_BYTES) {
                    throw scanTooLarge();
                }
            }
        }
    }

    /** Decodes {@code rows} input MCU rows from {@code srcRow} into the band's cells. */
    private void decodeBand(int srcRow, int rows, int mcusX, boolean gray, int blocksPerMcu)
            throws JpegFormatException {
        midPos = 0;
        midBits = 0;
        midAcc = 0;
        for (int row = 0; row < rows; row++) {
            for (int mx = 0; mx < mcusX; mx++) {
                mcu = (srcRow + row) * mcusX + mx;
                if (dri != 0 && mcu != 0 && mcu % dri == 0) {
                    restart(mcu / dri - 1 & 7);
                }
                if (midPos + blocksPerMcu * MAX_BLOCK_BYTES + 16 > mid.length) {
                    mid = Arrays.copyOf(mid, 2 * mid.length + blocksPerMcu * MAX_BLOCK_BYTES);
                }
                for (int i = 0; i < ns; i++) {
                    final int c = scanComp[i], h = gray ? 1 : compH[c], v = gray ? 1 : compV[c];
                    final int cols = cellCols[c];
                    final int first = cellBase[c] + (gray ? row : row * v) * cols + mx * h;
                    for (int y = 0; y < v; y++) {
                        for (int x = 0; x < h; x++) {
                            transcodeBlock(i, c, false, first + y * cols + x);
                        }
                    }
                }
                if (bitCnt < phantom) {
                    throw corrupt(ENDS_EARLY);
                }
            }
        }
        // Whole bytes, so that the last block's codes can be read back.
        final int pad = (8 - midBits % 8) % 8;
        midAcc <<= pad;
        midBits += pad;
        while (midBits > 0) {
            midBits -= 8;
            mid[midPos++] = (byte) (midAcc >>> midBits);
        }
    }

    /** Consumes the RSTn ending a restart interval; data the interval did not use is skipped, as in libjpeg. */
    private void restart(int expected) throws JpegFormatException {
        int p = pos;
        for (;;) {
            while (p < end && in[p] != (byte) 0xFF) {
                p++;
            }
            int q = p + 1;
            while (q < end && in[q] == (byte) 0xFF) {
                q++;
            }
            if (q >= end) {
                throw corrupt("the scan ends before RST" + expected);
            }
            final int m = in[q] & 0xFF;
            if (m != 0) {
                if (m != 0xD0 + expected) {
                    throw corrupt("expected RST" + expected + ", found " + JpegParser.markerName(m));
                }
                pos = q + 1;
                break;
            }
            p = q + 1;
        }
        bitBuf = 0;
        bitCnt = 0;
        phantom = 0;
        dcPred[0] = dcPred[1] = dcPred[2] = 0;
    }

    /**
     * Decodes one block of scan component {@code i} (frame component {@code c}) and writes its standard
     * codes: all of them to the output ({@code direct}), or the AC codes to the band with the DC value
     * kept in {@code cell}. Value bits are copied as coded: a coefficient's bits do not depend on the table.
     * Runs of zeros are re-coded canonically: ZRLs only before a coefficient, EOB unless coefficient 63 is set.
     */
    private void transcodeBlock(int i, int c, boolean direct, int cell) throws JpegFormatException {
        final byte[] d = in;
        final int e = end;
        final long[] dcT = dcTrans[i], acT = acTrans[i];
        long buf = bitBuf;
        int cnt = bitCnt, p = pos;
        final byte[] w = direct ? out : mid;
        long a = direct ? acc : midAcc;
        int n = direct ? accBits : midBits, wp = direct ? op : midPos;

        // DC: at most 16 code bits and 11 value bits. Refill 4 bytes at once unless one is 0xFF.
        if (cnt < 32) {
            final int word;
            if (p + 4 <= e && noFF(word = (int) BIG_ENDIAN_INT.get(d, p))) {
                buf |= (word & 0xFFFFFFFFL) << (32 - cnt);
                cnt += 32;
                p += 4;
            } else {
                bitBuf = buf;
                bitCnt = cnt;
                pos = p;
                refillBytes();
                buf = bitBuf;
                cnt = bitCnt;
                p = pos;
            }
        }
        long t = dcT[(int) (buf >>> (64 - FAST))];
        int outBits, outLen, diff;
        if (t != 0) {
            final int len = (int) (t >>> 27) & 15;
            buf <<= len;
            cnt -= len;
            outBits = (int) t & 0x3FFFFF;
            outLen = (int) (t >>> 22) & 31;
            diff = (short) (t >>> 32);
        } else {
            final int code = decodeSymbol(buf, scanDc[i]), len = code >>> 8, s = code & 0xFF;
            buf <<= len;
            cnt -= len;
            if (s > 11) {
                throw corruptData("DC difference of " + s + " bits");
            }
            final int raw = s == 0 ? 0 : (int) (buf >>> (64 - s));
            buf <<= s;
            cnt -= s;
            diff = s == 0 ? 0 : raw < 1 << (s - 1) ? raw - (1 << s) + 1 : raw;
            outBits = (c == 0 ? DC_LUMA_CODE : DC_CHROMA_CODE)[s] << s | raw;
            outLen = (c == 0 ? DC_LUMA_LEN : DC_CHROMA_LEN)[s] + s;
        }
        final int dc = dcPred[c] + diff;
        if (dc > 1 << 20 || dc < -(1 << 20)) { // far beyond 8-bit data; keeps sums from overflowing
            throw corruptData("DC coefficient out of range");
        }
        dcPred[c] = dc;
        if (n >= 32) {
            final int top = (int) (a >>> (n - 32));
            if (!direct || noFF(top)) {
                BIG_ENDIAN_INT.set(w, wp, top);
                wp += 4;
                n -= 32;
            } else {
                op = wp;
                n = drainBytes(a, n);
                wp = op;
            }
        }
        if (direct) {
            a = a << outLen | outBits;
            n += outLen;
        } else {
            blockDc[cell] = dc;
            blockFrom[cell] = wp * 8 + n;
        }

        // AC
        int k = 1, last = 1, zrl = 0;
        while (k < 64) {
            if (cnt < 32) {
                final int word;
                if (p + 4 <= e && noFF(word = (int) BIG_ENDIAN_INT.get(d, p))) {
                    buf |= (word & 0xFFFFFFFFL) << (32 - cnt);
                    cnt += 32;
                    p += 4;
                } else {
                    bitBuf = buf;
                    bitCnt = cnt;
                    pos = p;
                    refillBytes();
                    buf = bitBuf;
                    cnt = bitCnt;
                    p = pos;
                }
            }
            t = acT[(int) (buf >>> (64 - FAST))];
            int run, kind;
            if (t != 0) {
                final int len = (int) (t >>> 32) & 15;
                buf <<= len;
                cnt -= len;
                kind = (int) (t >>> 40);
                run = (int) (t >>> 36) & 15;
                outBits = (int) t & 0x3FFFFFF;
                outLen = (int) (t >>> 26) & 31;
            } else {
                final int code = decodeSymbol(buf, scanAc[i]), len = code >>> 8, symbol = code & 0xFF;
                final int s = symbol & 15;
                buf <<= len;
                cnt -= len;
                run = symbol >> 4;
                kind = s != 0 ? COEFFICIENT : run == 15 ? ZRL : EOB;
                if (s > 10) {
                    throw corruptData("AC coefficient of " + s + " bits");
                }
                final int raw = s == 0 ? 0 : (int) (buf >>> (64 - s));
                buf <<= s;
                cnt -= s;
                outBits = (c == 0 ? AC_LUMA_CODE : AC_CHROMA_CODE)[symbol] << s | raw;
                outLen = (c == 0 ? AC_LUMA_LEN : AC_CHROMA_LEN)[symbol] + s;
            }
            if (kind != COEFFICIENT) {
                if (kind == EOB) { // libjpeg reads any run with size 0 other than ZRL so
                    break;
                }
                k += 16; // zeros past the end of the block are harmless, as in libjpeg
                zrl++;
                continue;
            }
            k += run;
            if (k > 63) {
                throw corruptData("AC coefficient past the end of a block");
            }
            for (; zrl > 0; zrl--) { // the ZRLs this coefficient needs; trailing ones are dropped
                if (n >= 32) {
                    final int top = (int) (a >>> (n - 32));
                    if (!direct || noFF(top)) {
                        BIG_ENDIAN_INT.set(w, wp, top);
                        wp += 4;
                        n -= 32;
                    } else {
                        op = wp;
                        n = drainBytes(a, n);
                        wp = op;
                    }
                }
                final int[] codes = c == 0 ? AC_LUMA_CODE : AC_CHROMA_CODE;
                final int zrlLen = (c == 0 ? AC_LUMA_LEN : AC_CHROMA_LEN)[0xF0];
                a = a << zrlLen | codes[0xF0];
                n += zrlLen;
            }
            if (n >= 32) {
                final int top = (int) (a >>> (n - 32));
                if (!direct || noFF(top)) {
                    BIG_ENDIAN_INT.set(w, wp, top);
                    wp += 4;
                    n -= 32;
                } else {
                    op = wp;
                    n = drainBytes(a, n);
                    wp = op;
                }
            }
            a = a << outLen | outBits;
            n += outLen;
            last = ++k;
        }
        if (last < 64) {
            if (n >= 32) {
                final int top = (int) (a >>> (n - 32));
                if (!direct || noFF(top)) {
                    BIG_ENDIAN_INT.set(w, wp, top);
                    wp += 4;
                    n -= 32;
                } else {
                    op = wp;
                    n = drainBytes(a, n);
                    wp = op;
                }
            }
            final int eobLen = (c == 0 ? AC_LUMA_LEN : AC_CHROMA_LEN)[0];
            a = a << eobLen | (c == 0 ? AC_LUMA_CODE : AC_CHROMA_CODE)[0];
            n += eobLen;
        }
        bitBuf = buf;
        bitCnt = cnt;
        pos = p;
        if (direct) {
            acc = a;
            accBits = n;
            op = wp;
        } else {
            blockTo[cell] = wp * 8 + n;
            midAcc = a;
            midBits = n;
            midPos = wp;
        }
    }

    /** True when no byte of {@code w} is 0xFF (no stuffing, no marker). */
    private static boolean noFF(int w) {
        final int x = ~w;
        return ((x - 0x01010101) & ~x & 0x80808080) == 0;
    }

    /** Fills the bit buffer byte by byte, removing stuffing; past the data (a marker or the end) feeds zeros. */
    private void refillBytes() {
        final byte[] d = in;
        final int e = end;
        while (bitCnt <= 56) {
            int v = 0;
            if (pos < e) {
                v = d[pos] & 0xFF;
                if (v != 0xFF) {
                    pos++;
                } else if (pos + 1 < e && d[pos + 1] == 0) {
                    pos += 2;
                } else { // a marker: the scan's data ends here; zeros are counted so using them is an error
                    v = 0;
                    phantom += 8;
                }
            } else {
                phantom += 8;
            }
            bitBuf |= (long) v << (56 - bitCnt);
            bitCnt += 8;
        }
    }

    /** A symbol the transcoding table does not hold: {@code length << 8 | symbol}. */
    private int decodeSymbol(long buf, int t) throws JpegFormatException {
        final int entry = look[t][(int) (buf >>> (64 - FAST))];
        if (entry != 0) {
            return entry;
        }
        final int[] mc = maxCode[t];
        for (int l = FAST + 1; l <= 16; l++) {
            final int code = (int) (buf >>> (64 - l));
            if (code <= mc[l]) {
                return l << 8 | (huffVals[t][code + valOffset[t][l]] & 0xFF);
            }
        }
        throw corruptData("no Huffman code matches");
    }

    /** A decoding error; once zeros stand in for missing data, the missing data is the better reason. */
    private JpegFormatException corruptData(String what) {
        return corrupt(phantom > 0 ? ENDS_EARLY : what);
    }

    private JpegFormatException corrupt(String what) {
        return new JpegFormatException("corrupt entropy-coded data at MCU " + mcu + " of " + mcuTotal + ": " + what);
    }

    // ======================================================================================== output

    /**
     * Writes output MCU {@code mx} of row {@code r} of the band: its luma blocks (2x1 or 2x2), then Cb and Cr.
     * Blocks the input does not have lie outside the picture (the padding of a grayscale picture to whole
     * MCUs): they repeat the DC, which costs the fewest bits. A grayscale picture's chroma is DC 0 (128).
     */
    private void emitMcu(boolean gray, int mx, int r, int dstV, int rows) throws JpegFormatException {
        final byte[] o = out, m = mid;
        long a = acc;
        int n = accBits, wp = op;
        for (int t = 0; t < 3; t++) {
            final boolean luma = t == 0;
            final int[] dcCode = luma ? DC_LUMA_CODE : DC_CHROMA_CODE, dcLen = luma ? DC_LUMA_LEN : DC_CHROMA_LEN;
            final int h = luma ? 2 : 1, v = luma ? dstV : 1, col = mx * h, row = r * v;
            final int cols = cellCols[t], decodedRows = gray ? rows : cellRows[t];
            for (int y = 0; y < v; y++) {
                for (int x = 0; x < h; x++) {
                    if (n >= 32) {
                        final int top = (int) (a >>> (n - 32));
                        if (noFF(top)) {
                            BIG_ENDIAN_INT.set(o, wp, top);
                            wp += 4;
                            n -= 32;
                        } else {
                            op = wp;
                            n = drainBytes(a, n);
                            wp = op;
                        }
                    }
                    final int cx = col + x, cy = row + y;
                    if ((gray && !luma) || cx >= cols || cy >= decodedRows) {
                        final int eobLen = (luma ? AC_LUMA_LEN : AC_CHROMA_LEN)[0];
                        a = a << (dcLen[0] + eobLen) | dcCode[0] << eobLen | (luma ? AC_LUMA_CODE : AC_CHROMA_CODE)[0];
                        n += dcLen[0] + eobLen;
                        continue;
                    }
                    final int cell = cellBase[t] + cy * cols + cx;
                    final int dc = blockDc[cell], diff = dc - encPred[t];
                    encPred[t] = dc;
                    if (diff > 2047 || diff < -2047) { // only a re-laid-out corrupt picture can get here
                        throw new JpegFormatException("corrupt entropy-coded data: a DC difference exceeds 11 bits"
                                + " after re-layout");
                    }
                    final int size = diff == 0 ? 0 : 32 - Integer.numberOfLeadingZeros(Math.abs(diff));
                    final int bits = (diff < 0 ? diff - 1 : diff) & ((1 << size) - 1);
                    a = a << (dcLen[size] + size) | dcCode[size] << size | bits;
                    n += dcLen[size] + size;
                    // The block's AC codes, up to 32 bits at a time.
                    for (int p = blockFrom[cell], to = blockTo[cell]; p < to;) {
                        if (n >= 32) {
                            final int top = (int) (a >>> (n - 32));
                            if (noFF(top)) {
                                BIG_ENDIAN_INT.set(o, wp, top);
                                wp += 4;
                                n -= 32;
                            } else {
                                op = wp;
                                n = drainBytes(a, n);
                                wp = op;
                            }
                        }
                        final int take = Math.min(32, to - p);
                        a = a << take | ((long) BIG_ENDIAN_LONG.get(m, p >>> 3) << (p & 7)) >>> (64 - take);
                        n += take;
                        p += take;
                    }
                }
            }
        }
        acc = a;
        accBits = n;
        op = wp;
    }

    /** Writes the whole bytes of the top {@code n} bits of {@code a}, stuffing 0x00 after 0xFF. */
    private int drainBytes(long a, int n) {
        final byte[] o = out;
        int p = op;
        while (n >= 8) {
            n -= 8;
            final byte b = (byte) (a >>> n);
            o[p++] = b;
            if (b == (byte) 0xFF) {
                o[p++] = 0;
            }
        }
        op = p;
        return n;
    }

    /** Pads the last byte with one bits and writes it; checks the scan size limit. */
    private void flushBits() throws JpegFormatException {
        final int pad = (8 - accBits % 8) % 8;
        acc = acc << pad | ((1 << pad) - 1);
        accBits = drainBytes(acc, accBits + pad);
        if (op - scanStart > MAX_SCAN_BYTES) {
            throw scanTooLarge();
        }
    }

    private JpegFormatException scanTooLarge() {
        return new JpegFormatException("re-coded scan exceeds " + MAX_SCAN_BYTES + " bytes, the RFC 2435 offset limit");
    }

    private void grow(int needed) throws JpegFormatException {
        if (op - scanStart > MAX_SCAN_BYTES) {
            throw scanTooLarge();
        }
        out = Arrays.copyOf(out, Math.max(needed, (int) Math.min(Integer.MAX_VALUE - 64, 2L * out.length)));
        view = ByteBuffer.wrap(out);
    }

    private void writeHeaders(boolean is420, int outDri) throws JpegFormatException {
        op = 0;
        final int lumaTq = compTq[0], chromaTq = nf == 3 ? compTq[1] : lumaTq;
        final boolean twoTables = !sameTable(lumaTq, chromaTq);
        final int dht = 4 + StandardHuffman.DC_LUMA.length + StandardHuffman.AC_LUMA.length
                + StandardHuffman.DC_CHROMA.length + StandardHuffman.AC_CHROMA.length;
        // Start with room for a scan about the size of the input's.
        final int headers = 20 + 4 + 2 * 65 + 19 + 4 + dht + 6 + 14;
        final int estimate = (int) Math.min(MAX_SCAN_BYTES, (long) (end - base) + (end - base) / 4) + headers + 4096;
        if (out.length < estimate) {
            grow(estimate);
        }
        put16(0xFFD8);
        put16(0xFFE0); // JFIF 1.01, no density, no thumbnail: says YCbCr to every decoder
        put16(16);
        out[op++] = 'J';
        out[op++] = 'F';
        out[op++] = 'I';
        out[op++] = 'F';
        out[op++] = 0;
        put16(0x0101);
        out[op++] = 0;
        put16(1);
        put16(1);
        put16(0);
        put16(0xFFDB);
        put16(2 + 65 * (twoTables ? 2 : 1));
        out[op++] = 0;
        System.arraycopy(qt, lumaTq * 64, out, op, 64);
        op += 64;
        if (twoTables) {
            out[op++] = 1;
            System.arraycopy(qt, chromaTq * 64, out, op, 64);
            op += 64;
        }
        put16(0xFFC0);
        put16(17);
        out[op++] = 8;
        put16(height);
        put16(width);
        out[op++] = 3;
        out[op++] = 1;
        out[op++] = (byte) (is420 ? 0x22 : 0x21);
        out[op++] = 0;
        for (int id = 2; id <= 3; id++) {
            out[op++] = (byte) id;
            out[op++] = 0x11;
            out[op++] = (byte) (twoTables ? 1 : 0);
        }
        put16(0xFFC4);
        put16(2 + dht);
        putTable(0x00, StandardHuffman.DC_LUMA);
        putTable(0x10, StandardHuffman.AC_LUMA);
        putTable(0x01, StandardHuffman.DC_CHROMA);
        putTable(0x11, StandardHuffman.AC_CHROMA);
        if (outDri != 0) {
            put16(0xFFDD);
            put16(4);
            put16(outDri);
        }
        put16(0xFFDA);
        put16(12);
        out[op++] = 3;
        out[op++] = 1;
        out[op++] = 0x00;
        out[op++] = 2;
        out[op++] = 0x11;
        out[op++] = 3;
        out[op++] = 0x11;
        out[op++] = 0;
        out[op++] = 63;
        out[op++] = 0;
        scanStart = op;
    }

    private void putTable(int tcth, byte[] table) {
        out[op++] = (byte) tcth;
        System.arraycopy(table, 0, out, op, table.length);
        op += table.length;
    }

    private void put16(int v) {
        out[op++] = (byte) (v >> 8);
        out[op++] = (byte) v;
    }

    /** Code and length per symbol of a DHT table body (16 counts, then the symbols). */
    private static void encodeTable(byte[] table, int[] codes, int[] lengths) {
        int code = 0, k = 16;
        for (int l = 1; l <= 16; l++) {
            for (int i = 0; i < table[l - 1]; i++, code++, k++) {
                codes[table[k] & 0xFF] = code;
                lengths[table[k] & 0xFF] = l;
            }
            code <<= 1;
        }
    }

    private int u8(int i) {
        return in[i] & 0xFF;
    }

    private int u16(int i) {
        return (in[i] & 0xFF) << 8 | (in[i + 1] & 0xFF);
    }
}
