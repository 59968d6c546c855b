package io.mjpegrtp.capture.testpattern.internal;

import java.util.Arrays;

/**
 * A baseline JPEG encoder for one picture size: YCbCr 4:2:0 (luma 2x2, chroma 1x1), 8-bit, IJG quantization tables
 * scaled by quality, and the standard Huffman tables of JPEG Annex K, which RFC 2435 receivers assume.
 *
 * <p>Pure Java (no ImageIO or AWT) so it runs on a headless minimal JRE. Quantized coefficients are kept per block,
 * so a caller that knows which MCUs changed since the last picture gets only those transformed again; entropy coding
 * runs over every block each time. Not thread-safe; all buffers are reused.
 */
final class JpegEncoder {
    /** Zig-zag position to natural (row-major) position. */
    static final int[] ZIGZAG = {
            0, 1, 8, 16, 9, 2, 3, 10, 17, 24, 32, 25, 18, 11, 4, 5,
            12, 19, 26, 33, 40, 48, 41, 34, 27, 20, 13, 6, 7, 14, 21, 28,
            35, 42, 49, 56, 57, 50, 43, 36, 29, 22, 15, 23, 30, 37, 44, 51,
            58, 59, 52, 45, 38, 31, 39, 46, 53, 60, 61, 54, 47, 55, 62, 63 };

    /** IJG (JPEG Annex K.1) tables, natural order. */
    static final int[] LUMA_QUANT = {
            16, 11, 10, 16, 24, 40, 51, 61,
            12, 12, 14, 19, 26, 58, 60, 55,
            14, 13, 16, 24, 40, 57, 69, 56,
            14, 17, 22, 29, 51, 87, 80, 62,
            18, 22, 37, 56, 68, 109, 103, 77,
            24, 35, 55, 64, 81, 104, 113, 92,
            49, 64, 78, 87, 103, 121, 120, 101,
            72, 92, 95, 98, 112, 100, 103, 99 };
    static final int[] CHROMA_QUANT = {
            17, 18, 24, 47, 99, 99, 99, 99,
            18, 21, 26, 66, 99, 99, 99, 99,
            24, 26, 56, 99, 99, 99, 99, 99,
            47, 66, 99, 99, 99, 99, 99, 99,
            99, 99, 99, 99, 99, 99, 99, 99,
            99, 99, 99, 99, 99, 99, 99, 99,
            99, 99, 99, 99, 99, 99, 99, 99,
            99, 99, 99, 99, 99, 99, 99, 99 };

    /** JPEG Annex K.3 Huffman tables: code counts per length 1..16, then the symbols. */
    static final int[] DC_LUMA_BITS = { 0, 1, 5, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0 };
    static final int[] DC_LUMA_VALUES = { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11 };
    static final int[] DC_CHROMA_BITS = { 0, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0 };
    static final int[] DC_CHROMA_VALUES = { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11 };
    static final int[] AC_LUMA_BITS = { 0, 2, 1, 3, 3, 2, 4, 3, 5, 5, 4, 4, 0, 0, 1, 0x7d };
    static final int[] AC_LUMA_VALUES = {
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
            0xf9, 0xfa };
    static final int[] AC_CHROMA_BITS = { 0, 2, 1, 2, 4, 4, 3, 4, 7, 5, 4, 4, 0, 1, 2, 0x77 };
    static final int[] AC_CHROMA_VALUES = {
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
            0xf9, 0xfa };

    private static final float[] AAN_SCALE = {
            1.0f, 1.387039845f, 1.306562965f, 1.175875602f, 1.0f, 0.785694958f, 0.541196100f, 0.275899379f };

    /** Blocks per MCU: Y0 Y1 Y2 Y3 Cb Cr. */
    private static final int BLOCKS = 6;
    /** Worst case of one MCU's entropy-coded bytes, stuffing included (6 blocks x 64 x (16 + 11) bits, doubled). */
    private static final int MCU_WORST = BLOCKS * 64 * 27 / 8 * 2 + 16;

    private final int width;
    private final int height;
    private final int mcusX;
    private final int mcusY;
    private final byte[] header;
    /** Reciprocal quantizers with the AAN output scaling folded in, zig-zag order. */
    private final float[] lumaDivisors = new float[64];
    private final float[] chromaDivisors = new float[64];
    /** Quantized coefficients of every block, zig-zag order, kept so unchanged blocks are not transformed again. */
    private final short[] coefficients;
    /** Per block: bit k is set when AC coefficient k (zig-zag) is non-zero, so runs of zeros are skipped at once. */
    private final long[] nonZero;
    private final float[] work = new float[64];
    private final int[] dcCode = new int[2 * 12];
    private final int[] dcSize = new int[2 * 12];
    private final int[] acCode = new int[2 * 256];
    private final int[] acSize = new int[2 * 256];
    private boolean primed;

    private byte[] out;
    private int pos;
    private long bitBuffer;
    private int bitCount;

    JpegEncoder(int width, int height, int quality) {
        if (width < 1 || height < 1 || width > 65535 || height > 65535) {
            throw new IllegalArgumentException("JPEG size must be 1..65535 pixels: " + width + "x" + height);
        }
        if (quality < 1 || quality > 100) {
            throw new IllegalArgumentException("JPEG quality must be 1..100: " + quality);
        }
        this.width = width;
        this.height = height;
        this.mcusX = (width + 15) / 16;
        this.mcusY = (height + 15) / 16;
        int blocks = mcusX * mcusY * BLOCKS;
        this.coefficients = new short[blocks * 64];
        this.nonZero = new long[blocks];
        int[] lumaQ = scale(LUMA_QUANT, quality);
        int[] chromaQ = scale(CHROMA_QUANT, quality);
        for (int k = 0; k < 64; k++) {
            int n = ZIGZAG[k];
            float aan = AAN_SCALE[n >> 3] * AAN_SCALE[n & 7] * 8f;
            lumaDivisors[k] = 1f / (lumaQ[n] * aan);
            chromaDivisors[k] = 1f / (chromaQ[n] * aan);
        }
        buildCodes(DC_LUMA_BITS, DC_LUMA_VALUES, dcCode, dcSize, 0);
        buildCodes(DC_CHROMA_BITS, DC_CHROMA_VALUES, dcCode, dcSize, 12);
        buildCodes(AC_LUMA_BITS, AC_LUMA_VALUES, acCode, acSize, 0);
        buildCodes(AC_CHROMA_BITS, AC_CHROMA_VALUES, acCode, acSize, 256);
        this.header = header(width, height, lumaQ, chromaQ);
        // A typical picture is far below this; the buffer grows if one is not.
        this.out = new byte[header.length + mcusX * mcusY * 256 + 1024];
    }

    int width() {
        return width;
    }

    int height() {
        return height;
    }

    int mcusX() {
        return mcusX;
    }

    int mcusY() {
        return mcusY;
    }

    /** Encodes and returns a copy of the JPEG, every block transformed. */
    byte[] encode(Planes planes) {
        int length = encode(planes, null);
        return Arrays.copyOf(out, length);
    }

    /**
     * Encodes into {@link #buffer()} and returns the JPEG's length.
     *
     * @param dirtyMcus MCUs (row-major) that changed since the previous call; {@code null} means all
     */
    int encode(Planes planes, boolean[] dirtyMcus) {
        if (planes.width != width || planes.height != height) {
            throw new IllegalArgumentException("encoder is for " + width + "x" + height + ", picture is "
                    + planes.width + "x" + planes.height);
        }
        boolean all = dirtyMcus == null || !primed;
        for (int my = 0; my < mcusY; my++) {
            for (int mx = 0; mx < mcusX; mx++) {
                int mcu = my * mcusX + mx;
                if (all || dirtyMcus[mcu]) {
                    transformMcu(planes, mx, my, mcu * BLOCKS);
                }
            }
        }
        primed = true;

        System.arraycopy(header, 0, out, 0, header.length);
        pos = header.length;
        bitBuffer = 0;
        bitCount = 0;
        int predY = 0;
        int predCb = 0;
        int predCr = 0;
        int mcus = mcusX * mcusY;
        for (int mcu = 0; mcu < mcus; mcu++) {
            if (pos + MCU_WORST > out.length) {
                out = Arrays.copyOf(out, out.length * 2);
            }
            int b = mcu * BLOCKS;
            predY = encodeBlock(b, predY, 0);
            predY = encodeBlock(b + 1, predY, 0);
            predY = encodeBlock(b + 2, predY, 0);
            predY = encodeBlock(b + 3, predY, 0);
            predCb = encodeBlock(b + 4, predCb, 1);
            predCr = encodeBlock(b + 5, predCr, 1);
        }
        if (bitCount > 0) {
            // Pad the last byte with 1 bits (F.1.2.3).
            putBits((1 << (8 - bitCount)) - 1, 8 - bitCount);
        }
        out[pos++] = (byte) 0xFF;
        out[pos++] = (byte) 0xD9;
        return pos;
    }

    /** The buffer the last {@link #encode(Planes, boolean[])} wrote to; valid until the next call. */
    byte[] buffer() {
        return out;
    }

    private void transformMcu(Planes p, int mx, int my, int block) {
        int x = mx * 16;
        int y = my * 16;
        loadBlock(p.y, p.width, p.height, x, y);
        quantize(block, lumaDivisors);
        loadBlock(p.y, p.width, p.height, x + 8, y);
        quantize(block + 1, lumaDivisors);
        loadBlock(p.y, p.width, p.height, x, y + 8);
        quantize(block + 2, lumaDivisors);
        loadBlock(p.y, p.width, p.height, x + 8, y + 8);
        quantize(block + 3, lumaDivisors);
        loadBlock(p.cb, p.chromaWidth, p.chromaHeight, mx * 8, my * 8);
        quantize(block + 4, chromaDivisors);
        loadBlock(p.cr, p.chromaWidth, p.chromaHeight, mx * 8, my * 8);
        quantize(block + 5, chromaDivisors);
    }

    /** Copies an 8x8 block, level-shifted, replicating the last row and column where it sticks out. */
    private void loadBlock(byte[] plane, int w, int h, int x0, int y0) {
        float[] d = work;
        if (x0 + 8 <= w && y0 + 8 <= h) {
            for (int r = 0; r < 8; r++) {
                int row = (y0 + r) * w + x0;
                int o = r * 8;
                for (int c = 0; c < 8; c++) {
                    d[o + c] = (plane[row + c] & 0xFF) - 128;
                }
            }
        } else {
            for (int r = 0; r < 8; r++) {
                int row = Math.min(y0 + r, h - 1) * w;
                for (int c = 0; c < 8; c++) {
                    d[r * 8 + c] = (plane[row + Math.min(x0 + c, w - 1)] & 0xFF) - 128;
                }
            }
        }
    }

    /** AAN floating-point forward DCT (as libjpeg's jfdctflt), then quantization into the block's cache. */
    private void quantize(int block, float[] divisors) {
        float[] d = work;
        for (int o = 0; o < 64; o += 8) {
            float t0 = d[o] + d[o + 7];
            float t7 = d[o] - d[o + 7];
            float t1 = d[o + 1] + d[o + 6];
            float t6 = d[o + 1] - d[o + 6];
            float t2 = d[o + 2] + d[o + 5];
            float t5 = d[o + 2] - d[o + 5];
            float t3 = d[o + 3] + d[o + 4];
            float t4 = d[o + 3] - d[o + 4];
            float t10 = t0 + t3;
            float t13 = t0 - t3;
            float t11 = t1 + t2;
            float t12 = t1 - t2;
            d[o] = t10 + t11;
            d[o + 4] = t10 - t11;
            float z1 = (t12 + t13) * 0.707106781f;
            d[o + 2] = t13 + z1;
            d[o + 6] = t13 - z1;
            t10 = t4 + t5;
            t11 = t5 + t6;
            t12 = t6 + t7;
            float z5 = (t10 - t12) * 0.382683433f;
            float z2 = 0.541196100f * t10 + z5;
            float z4 = 1.306562965f * t12 + z5;
            float z3 = t11 * 0.707106781f;
            float z11 = t7 + z3;
            float z13 = t7 - z3;
            d[o + 5] = z13 + z2;
            d[o + 3] = z13 - z2;
            d[o + 1] = z11 + z4;
            d[o + 7] = z11 - z4;
        }
        for (int c = 0; c < 8; c++) {
            float t0 = d[c] + d[c + 56];
            float t7 = d[c] - d[c + 56];
            float t1 = d[c + 8] + d[c + 48];
            float t6 = d[c + 8] - d[c + 48];
            float t2 = d[c + 16] + d[c + 40];
            float t5 = d[c + 16] - d[c + 40];
            float t3 = d[c + 24] + d[c + 32];
            float t4 = d[c + 24] - d[c + 32];
            float t10 = t0 + t3;
            float t13 = t0 - t3;
            float t11 = t1 + t2;
            float t12 = t1 - t2;
            d[c] = t10 + t11;
            d[c + 32] = t10 - t11;
            float z1 = (t12 + t13) * 0.707106781f;
            d[c + 16] = t13 + z1;
            d[c + 48] = t13 - z1;
            t10 = t4 + t5;
            t11 = t5 + t6;
            t12 = t6 + t7;
            float z5 = (t10 - t12) * 0.382683433f;
            float z2 = 0.541196100f * t10 + z5;
            float z4 = 1.306562965f * t12 + z5;
            float z3 = t11 * 0.707106781f;
            float z11 = t7 + z3;
            float z13 = t7 - z3;
            d[c + 40] = z13 + z2;
            d[c + 24] = z13 - z2;
            d[c + 8] = z11 + z4;
            d[c + 56] = z11 - z4;
        }
        int base = block * 64;
        long mask = 0;
        for (int k = 0; k < 64; k++) {
            // Round half away from zero without Math.round's cost (libjpeg's trick).
            int q = (int) (d[ZIGZAG[k]] * divisors[k] + 16384.5f) - 16384;
            coefficients[base + k] = (short) q;
            if (q != 0) {
                mask |= 1L << k;
            }
        }
        nonZero[block] = mask & ~1L;
    }

    /** Entropy-codes one block; returns its DC value, the next predictor. */
    private int encodeBlock(int block, int prediction, int table) {
        int base = block * 64;
        int dc = coefficients[base];
        int diff = dc - prediction;
        int magnitude = diff < 0 ? -diff : diff;
        int size = 32 - Integer.numberOfLeadingZeros(magnitude);
        int extra = diff < 0 ? diff - 1 : diff;
        int dci = table * 12 + size;
        putBits((dcCode[dci] << size) | (extra & ((1 << size) - 1)), dcSize[dci] + size);

        int acBase = table * 256;
        long mask = nonZero[block];
        int last = 0;
        while (mask != 0) {
            int k = Long.numberOfTrailingZeros(mask);
            mask &= mask - 1;
            int run = k - last - 1;
            while (run > 15) {
                putBits(acCode[acBase + 0xF0], acSize[acBase + 0xF0]);
                run -= 16;
            }
            int v = coefficients[base + k];
            int m = v < 0 ? -v : v;
            int s = 32 - Integer.numberOfLeadingZeros(m);
            int e = v < 0 ? v - 1 : v;
            int sym = acBase + ((run << 4) | s);
            putBits((acCode[sym] << s) | (e & ((1 << s) - 1)), acSize[sym] + s);
            last = k;
        }
        if (last != 63) {
            putBits(acCode[acBase], acSize[acBase]);
        }
        return dc;
    }

    /** Appends up to 27 bits, stuffing a zero after every 0xFF byte. */
    private void putBits(int bits, int count) {
        bitBuffer = (bitBuffer << count) | bits;
        bitCount += count;
        while (bitCount >= 8) {
            bitCount -= 8;
            int b = (int) (bitBuffer >>> bitCount) & 0xFF;
            out[pos++] = (byte) b;
            if (b == 0xFF) {
                out[pos++] = 0;
            }
        }
    }

    /** IJG quality scaling (jcparam.c), limited to 1..255 for baseline. */
    static int[] scale(int[] base, int quality) {
        int factor = quality < 50 ? 5000 / quality : 200 - quality * 2;
        int[] q = new int[64];
        for (int i = 0; i < 64; i++) {
            q[i] = Math.max(1, Math.min(255, (base[i] * factor + 50) / 100));
        }
        return q;
    }

    /** Canonical Huffman codes from the counts per length (JPEG Annex C). */
    private static void buildCodes(int[] bits, int[] values, int[] codes, int[] sizes, int offset) {
        int code = 0;
        int k = 0;
        for (int length = 1; length <= 16; length++) {
            for (int i = 0; i < bits[length - 1]; i++) {
                codes[offset + values[k]] = code;
                sizes[offset + values[k]] = length;
                code++;
                k++;
            }
            code <<= 1;
        }
    }

    private static byte[] header(int width, int height, int[] lumaQ, int[] chromaQ) {
        Bytes b = new Bytes();
        b.u16(0xFFD8);
        // JFIF APP0: version 1.01, no density unit, aspect 1:1, no thumbnail.
        b.u16(0xFFE0).u16(16).ascii("JFIF").u8(0).u8(1).u8(1).u8(0).u16(1).u16(1).u8(0).u8(0);
        b.u16(0xFFDB).u16(2 + 2 * 65);
        b.u8(0x00);
        for (int k = 0; k < 64; k++) {
            b.u8(lumaQ[ZIGZAG[k]]);
        }
        b.u8(0x01);
        for (int k = 0; k < 64; k++) {
            b.u8(chromaQ[ZIGZAG[k]]);
        }
        b.u16(0xFFC0).u16(17).u8(8).u16(height).u16(width).u8(3);
        b.u8(1).u8(0x22).u8(0);
        b.u8(2).u8(0x11).u8(1);
        b.u8(3).u8(0x11).u8(1);
        int dhtLength = 2 + 4 * 17 + DC_LUMA_VALUES.length + AC_LUMA_VALUES.length + DC_CHROMA_VALUES.length
                + AC_CHROMA_VALUES.length;
        b.u16(0xFFC4).u16(dhtLength);
        b.table(0x00, DC_LUMA_BITS, DC_LUMA_VALUES);
        b.table(0x10, AC_LUMA_BITS, AC_LUMA_VALUES);
        b.table(0x01, DC_CHROMA_BITS, DC_CHROMA_VALUES);
        b.table(0x11, AC_CHROMA_BITS, AC_CHROMA_VALUES);
        b.u16(0xFFDA).u16(12).u8(3).u8(1).u8(0x00).u8(2).u8(0x11).u8(3).u8(0x11).u8(0).u8(63).u8(0);
        return b.toArray();
    }

    /** A tiny growable byte writer for the header, built once per encoder. */
    private static final class Bytes {
        private byte[] a = new byte[1024];
        private int n;

        Bytes u8(int v) {
            if (n == a.length) {
                a = Arrays.copyOf(a, n * 2);
            }
            a[n++] = (byte) v;
            return this;
        }

        Bytes u16(int v) {
            return u8(v >> 8).u8(v);
        }

        Bytes ascii(String s) {
            for (int i = 0; i < s.length(); i++) {
                u8(s.charAt(i));
            }
            return this;
        }

        Bytes table(int classAndId, int[] bits, int[] values) {
            u8(classAndId);
            for (int v : bits) {
                u8(v);
            }
            for (int v : values) {
                u8(v);
            }
            return this;
        }

        byte[] toArray() {
            return Arrays.copyOf(a, n);
        }
    }
}
