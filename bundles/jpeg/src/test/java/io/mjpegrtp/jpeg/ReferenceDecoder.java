package io.mjpegrtp.jpeg;

import java.util.Arrays;

/**
 * A deliberately plain baseline JPEG entropy decoder for tests, sharing no code with the re-coder: bit by bit,
 * canonical Huffman decoding as in JPEG Annex F, one scan with every component. It yields each component's
 * quantized coefficients (zig-zag order) over the blocks that lie inside the component, i.e. without the
 * padding blocks of partial MCUs, which no decoder shows.
 */
final class ReferenceDecoder {
    /** One component: its blocks in raster order, 64 coefficients each. */
    record Component(int id, int h, int v, int blocksWide, int blocksHigh, int[] coefficients, int[] quantization) {
    }

    /** A decoded picture. */
    record Picture(int width, int height, int restartInterval, Component[] components) {
    }

    private static final int[][] STD_BITS_VALS = {
        bytesOf(StandardHuffman.DC_LUMA), bytesOf(StandardHuffman.DC_CHROMA),
        bytesOf(StandardHuffman.AC_LUMA), bytesOf(StandardHuffman.AC_CHROMA)};

    private final byte[] j;
    private int pos, bitBuf, bitCount;

    private ReferenceDecoder(byte[] j) {
        this.j = j;
    }

    static Picture decode(byte[] jpeg) {
        return new ReferenceDecoder(jpeg).run();
    }

    private Picture run() {
        int[][] qt = new int[4][];
        int[][] huff = new int[8][]; // class * 4 + id -> bits and values as ints
        int width = 0, height = 0, dri = 0;
        int[] ids = null, hs = null, vs = null, tqs = null;
        int p = 2;
        while (true) {
            if ((j[p] & 0xFF) != 0xFF) {
                throw new IllegalStateException("marker expected at " + p);
            }
            int m = j[p + 1] & 0xFF;
            if (m == 0xFF) {
                p++;
                continue;
            }
            int len = u16(p + 2), body = p + 4, next = p + 2 + len;
            switch (m) {
                case 0xDB -> {
                    for (int q = body; q < next;) {
                        int pq = (j[q] & 0xFF) >> 4, tq = j[q] & 15;
                        qt[tq] = new int[64];
                        for (int i = 0; i < 64; i++) {
                            qt[tq][i] = pq == 0 ? j[q + 1 + i] & 0xFF : u16(q + 1 + 2 * i);
                        }
                        q += 1 + 64 * (pq + 1);
                    }
                }
                case 0xC4 -> {
                    for (int q = body; q < next;) {
                        int t = ((j[q] & 0xFF) >> 4) * 4 + (j[q] & 15), n = 0;
                        for (int i = 1; i <= 16; i++) {
                            n += j[q + i] & 0xFF;
                        }
                        huff[t] = new int[16 + n];
                        for (int i = 0; i < 16 + n; i++) {
                            huff[t][i] = j[q + 1 + i] & 0xFF;
                        }
                        q += 17 + n;
                    }
                }
                case 0xDD -> dri = u16(body);
                case 0xC0, 0xC1 -> {
                    height = u16(body + 1);
                    width = u16(body + 3);
                    int nf = j[body + 5] & 0xFF;
                    ids = new int[nf];
                    hs = new int[nf];
                    vs = new int[nf];
                    tqs = new int[nf];
                    for (int i = 0; i < nf; i++) {
                        ids[i] = j[body + 6 + 3 * i] & 0xFF;
                        hs[i] = (j[body + 7 + 3 * i] & 0xFF) >> 4;
                        vs[i] = j[body + 7 + 3 * i] & 15;
                        tqs[i] = j[body + 8 + 3 * i] & 0xFF;
                    }
                }
                case 0xDA -> {
                    return scan(body, next, width, height, dri, ids, hs, vs, tqs, qt, huff);
                }
                default -> { }
            }
            p = next;
        }
    }

    private Picture scan(int body, int next, int width, int height, int dri, int[] ids, int[] hs, int[] vs,
            int[] tqs, int[][] qt, int[][] huff) {
        int nf = ids.length, ns = j[body] & 0xFF;
        int hmax = Arrays.stream(hs).max().getAsInt(), vmax = Arrays.stream(vs).max().getAsInt();
        Component[] comps = new Component[nf];
        for (int c = 0; c < nf; c++) {
            int cw = (width * hs[c] + hmax - 1) / hmax, ch = (height * vs[c] + vmax - 1) / vmax;
            int bw = (cw + 7) / 8, bh = (ch + 7) / 8;
            comps[c] = new Component(ids[c], hs[c], vs[c], bw, bh, new int[bw * bh * 64], qt[tqs[c]].clone());
        }
        int[] order = new int[ns];
        int[][] dcTab = new int[ns][], acTab = new int[ns][];
        for (int i = 0; i < ns; i++) {
            int id = j[body + 1 + 2 * i] & 0xFF, t = j[body + 2 + 2 * i] & 0xFF;
            order[i] = indexOf(ids, id);
            dcTab[i] = huff[t >> 4] != null ? huff[t >> 4] : STD_BITS_VALS[t >> 4];
            acTab[i] = huff[4 + (t & 15)] != null ? huff[4 + (t & 15)] : STD_BITS_VALS[2 + (t & 15)];
        }
        pos = next;
        int mcusX, mcusY;
        if (ns == 1) {
            mcusX = comps[order[0]].blocksWide();
            mcusY = comps[order[0]].blocksHigh();
        } else {
            mcusX = (width + 8 * hmax - 1) / (8 * hmax);
            mcusY = (height + 8 * vmax - 1) / (8 * vmax);
        }
        int[] pred = new int[nf];
        int[] block = new int[64];
        for (int n = 0; n < mcusX * mcusY; n++) {
            if (dri > 0 && n > 0 && n % dri == 0) {
                bitCount = 0; // the rest of the byte is padding
                while ((j[pos] & 0xFF) == 0xFF && (j[pos + 1] & 0xFF) == 0xFF) {
                    pos++;
                }
                int marker = (j[pos] & 0xFF) << 8 | (j[pos + 1] & 0xFF);
                if (marker != 0xFFD0 + ((n / dri - 1) & 7)) {
                    throw new IllegalStateException("RST expected at MCU " + n + ", found "
                            + Integer.toHexString(marker));
                }
                pos += 2;
                Arrays.fill(pred, 0);
            }
            int mx = n % mcusX, my = n / mcusX;
            for (int i = 0; i < ns; i++) {
                int c = order[i];
                Component comp = comps[c];
                int bh = ns == 1 ? 1 : comp.h(), bv = ns == 1 ? 1 : comp.v();
                for (int v = 0; v < bv; v++) {
                    for (int h = 0; h < bh; h++) {
                        Arrays.fill(block, 0);
                        int s = symbol(dcTab[i]);
                        pred[c] += extend(bits(s), s);
                        block[0] = pred[c];
                        for (int k = 1; k < 64; k++) {
                            int rs = symbol(acTab[i]), r = rs >> 4;
                            s = rs & 15;
                            if (s == 0) {
                                if (r == 15) {
                                    k += 15;
                                    continue;
                                }
                                break;
                            }
                            k += r;
                            block[k] = extend(bits(s), s);
                        }
                        int bx = mx * bh + h, by = my * bv + v;
                        if (bx < comp.blocksWide() && by < comp.blocksHigh()) {
                            System.arraycopy(block, 0, comp.coefficients(), (by * comp.blocksWide() + bx) * 64, 64);
                        }
                    }
                }
            }
        }
        return new Picture(width, height, dri, comps);
    }

    private int symbol(int[] table) {
        int code = 0, first = 0, index = 16;
        for (int l = 1; l <= 16; l++) {
            code = code << 1 | bits(1);
            int count = table[l - 1];
            if (code - first < count) {
                return table[index + code - first];
            }
            index += count;
            first = (first + count) << 1;
        }
        throw new IllegalStateException("bad Huffman code at byte " + pos);
    }

    private int bits(int n) {
        int v = 0;
        for (int i = 0; i < n; i++) {
            if (bitCount == 0) {
                bitBuf = j[pos++] & 0xFF;
                if (bitBuf == 0xFF) {
                    if (j[pos] != 0) {
                        throw new IllegalStateException("marker inside the entropy-coded data at " + pos);
                    }
                    pos++;
                }
                bitCount = 8;
            }
            bitCount--;
            v = v << 1 | (bitBuf >> bitCount & 1);
        }
        return v;
    }

    private static int extend(int v, int s) {
        return s == 0 ? 0 : v < 1 << (s - 1) ? v - (1 << s) + 1 : v;
    }

    private int u16(int i) {
        return (j[i] & 0xFF) << 8 | (j[i + 1] & 0xFF);
    }

    private static int indexOf(int[] a, int v) {
        for (int i = 0; i < a.length; i++) {
            if (a[i] == v) {
                return i;
            }
        }
        throw new IllegalStateException("scan names an unknown component " + v);
    }

    private static int[] bytesOf(byte[] b) {
        int[] r = new int[b.length];
        for (int i = 0; i < b.length; i++) {
            r[i] = b[i] & 0xFF;
        }
        return r;
    }
}
