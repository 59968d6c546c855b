package io.mjpegrtp.capture.testpattern.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class JpegEncoderTest {
    /** JPEG Annex K.3 tables as a DHT payload (class/id, 16 counts, symbols), typed from the standard. */
    private static final String ANNEX_K_DHT = ""
            + "00" + "00010501010101010100000000000000" + "000102030405060708090a0b"
            + "10" + "0002010303020403050504040000017d"
            + "01020300041105122131410613516107227114328191a1082342b1c11552d1f0"
            + "2433627282090a161718191a25262728292a3435363738393a434445464748494a"
            + "535455565758595a636465666768696a737475767778797a838485868788898a"
            + "92939495969798999aa2a3a4a5a6a7a8a9aab2b3b4b5b6b7b8b9bac2c3c4c5c6c7c8c9ca"
            + "d2d3d4d5d6d7d8d9dae1e2e3e4e5e6e7e8e9eaf1f2f3f4f5f6f7f8f9fa"
            + "01" + "00030101010101010101010000000000" + "000102030405060708090a0b"
            + "11" + "00020102040403040705040400010277"
            + "000102031104052131061241510761711322328108144291a1b1c109233352f0"
            + "156272d10a162434e125f11718191a262728292a35363738393a434445464748494a"
            + "535455565758595a636465666768696a737475767778797a82838485868788898a"
            + "92939495969798999aa2a3a4a5a6a7a8a9aab2b3b4b5b6b7b8b9bac2c3c4c5c6c7c8c9ca"
            + "d2d3d4d5d6d7d8d9dae2e3e4e5e6e7e8e9eaf2f3f4f5f6f7f8f9fa";

    @Test
    void writesBaselineFourTwoZeroWithStandardTables() {
        byte[] jpeg = new JpegEncoder(100, 60, 75).encode(Planes.fromRgb(gradient(100, 60), 100, 60));
        List<int[]> segments = segments(jpeg);
        assertEquals(0xFFD8, u16(jpeg, 0));
        assertEquals(0xFFD9, u16(jpeg, jpeg.length - 2), "ends with EOI");

        int[] app0 = find(segments, 0xE0);
        assertEquals("JFIF\0", new String(jpeg, app0[1] + 4, 5, java.nio.charset.StandardCharsets.ISO_8859_1));

        int[] sof = find(segments, 0xC0);
        int s = sof[1] + 4;
        assertEquals(8, jpeg[s] & 0xFF, "precision");
        assertEquals(60, u16(jpeg, s + 1), "height");
        assertEquals(100, u16(jpeg, s + 3), "width");
        assertEquals(3, jpeg[s + 5], "components");
        assertArrayEquals(new byte[] { 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1 }, slice(jpeg, s + 6, 9),
                "Y 2x2 with table 0, Cb and Cr 1x1 with table 1");

        int[] dht = find(segments, 0xC4);
        assertEquals(ANNEX_K_DHT, HexFormat.of().formatHex(slice(jpeg, dht[1] + 4, dht[2] - 2)));

        int[] dqt = find(segments, 0xDB);
        byte[] tables = slice(jpeg, dqt[1] + 4, dqt[2] - 2);
        assertEquals(130, tables.length, "two 8-bit tables");
        assertEquals(0x00, tables[0]);
        assertEquals(0x01, tables[65]);
        int[] luma75 = JpegEncoder.scale(JpegEncoder.LUMA_QUANT, 75);
        for (int k = 0; k < 64; k++) {
            assertEquals(luma75[JpegEncoder.ZIGZAG[k]], tables[1 + k] & 0xFF, "DQT in zig-zag order");
        }
        assertEquals(8, tables[1], "IJG 16 scaled by 50%");
        for (int[] seg : segments) {
            assertTrue(seg[0] != 0xDD, "no restart interval");
        }
    }

    @Test
    void scalesQuantizationLikeIjg() {
        assertArrayEquals(JpegEncoder.LUMA_QUANT, JpegEncoder.scale(JpegEncoder.LUMA_QUANT, 50));
        for (int q : JpegEncoder.scale(JpegEncoder.CHROMA_QUANT, 100)) {
            assertEquals(1, q);
        }
        for (int q : JpegEncoder.scale(JpegEncoder.LUMA_QUANT, 1)) {
            assertTrue(q >= 1 && q <= 255, "baseline tables stay 8-bit");
        }
        assertEquals(32, JpegEncoder.scale(JpegEncoder.LUMA_QUANT, 25)[0]);
    }

    @ParameterizedTest
    @EnumSource(Decoder.class)
    void flatGreyDecodesWithinTwo(Decoder decoder) throws Exception {
        for (int level : new int[] { 0, 37, 128, 200, 255 }) {
            int[] rgb = new int[64 * 48];
            java.util.Arrays.fill(rgb, level << 16 | level << 8 | level);
            Decoder.Rgb out = decoder.decode(new JpegEncoder(64, 48, 85).encode(Planes.fromRgb(rgb, 64, 48)));
            assertEquals(64, out.width());
            assertEquals(48, out.height());
            for (int p : out.pixels()) {
                for (int sh = 0; sh <= 16; sh += 8) {
                    int v = (p >> sh) & 0xFF;
                    assertTrue(Math.abs(v - level) <= 2, "grey " + level + " decoded as " + v);
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Decoder.class)
    void highQualityGradientHasPsnrAbove40(Decoder decoder) throws Exception {
        int w = 320;
        int h = 240;
        int[] rgb = gradient(w, h);
        Decoder.Rgb out = decoder.decode(new JpegEncoder(w, h, 95).encode(Planes.fromRgb(rgb, w, h)));
        double psnr = out.psnr(rgb);
        assertTrue(psnr > 40, "PSNR " + psnr);
    }

    @ParameterizedTest
    @EnumSource(Decoder.class)
    void oddSizesDecodeWithTheirSize(Decoder decoder) throws Exception {
        for (int[] size : new int[][] { { 1918, 1078 }, { 33, 17 }, { 1, 1 }, { 17, 33 }, { 8, 8 } }) {
            int w = size[0];
            int h = size[1];
            int[] rgb = gradient(w, h);
            Decoder.Rgb out = decoder.decode(new JpegEncoder(w, h, 90).encode(Planes.fromRgb(rgb, w, h)));
            assertEquals(w, out.width(), "width of " + w + "x" + h);
            assertEquals(h, out.height(), "height of " + w + "x" + h);
            // Edge replication keeps the padded MCUs from bleeding into the picture's last rows and columns
            // (tiny pictures hold a steep gradient, hence the modest bound).
            double psnr = out.psnr(rgb);
            assertTrue(psnr > 25, w + "x" + h + " PSNR " + psnr);
        }
    }

    @ParameterizedTest
    @EnumSource(Decoder.class)
    void noiseExercisesByteStuffing(Decoder decoder) throws Exception {
        int w = 128;
        int h = 96;
        int[] rgb = new int[w * h];
        Random random = new Random(42);
        for (int i = 0; i < rgb.length; i++) {
            rgb[i] = random.nextInt(0x1000000);
        }
        byte[] jpeg = new JpegEncoder(w, h, 100).encode(Planes.fromRgb(rgb, w, h));
        int[] sos = find(segments(jpeg), 0xDA);
        int stuffed = 0;
        for (int i = sos[1] + 2 + sos[2]; i < jpeg.length - 2; i++) {
            if ((jpeg[i] & 0xFF) == 0xFF) {
                assertEquals(0, jpeg[i + 1], "0xFF in the scan at " + i + " is followed by a stuffed zero");
                stuffed++;
                i++;
            }
        }
        assertTrue(stuffed > 10, "noise at quality 100 produces 0xFF bytes: " + stuffed);
        Decoder.Rgb out = decoder.decode(jpeg);
        assertEquals(w, out.width());
        // Luma survives at quality 100; chroma of noise does not survive 4:2:0, hence a modest bound.
        assertTrue(out.psnr(rgb) > 12, "PSNR " + out.psnr(rgb));
    }

    @Test
    void reusedEncoderWithDirtyMcusMatchesAFreshOne() {
        int w = 96;
        int h = 64;
        JpegEncoder encoder = new JpegEncoder(w, h, 80);
        Planes p = Planes.fromRgb(gradient(w, h), w, h);
        encoder.encode(p, null);
        // Change one MCU's pixels and say so: the result must equal a full encode of the new picture.
        for (int y = 16; y < 32; y++) {
            for (int x = 32; x < 48; x++) {
                p.y[y * w + x] = (byte) 255;
            }
        }
        boolean[] dirty = new boolean[encoder.mcusX() * encoder.mcusY()];
        dirty[1 * encoder.mcusX() + 2] = true;
        int n = encoder.encode(p, dirty);
        byte[] incremental = java.util.Arrays.copyOf(encoder.buffer(), n);
        assertArrayEquals(new JpegEncoder(w, h, 80).encode(p), incremental);
    }

    static int[] gradient(int w, int h) {
        int[] rgb = new int[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int r = w > 1 ? x * 255 / (w - 1) : 0;
                int g = h > 1 ? y * 255 / (h - 1) : 0;
                int b = (w + h) > 2 ? (x + y) * 255 / (w + h - 2) : 0;
                rgb[y * w + x] = r << 16 | g << 8 | (255 - b);
            }
        }
        return rgb;
    }

    /** Walks marker segments up to SOS: {marker, offset of 0xFF, length field}. */
    static List<int[]> segments(byte[] jpeg) {
        List<int[]> out = new ArrayList<>();
        int p = 2;
        while (p + 4 <= jpeg.length) {
            if ((jpeg[p] & 0xFF) != 0xFF) {
                fail("no marker at " + p);
            }
            int marker = jpeg[p + 1] & 0xFF;
            int length = u16(jpeg, p + 2);
            out.add(new int[] { marker, p, length });
            if (marker == 0xDA) {
                break;
            }
            p += 2 + length;
        }
        return out;
    }

    static int[] find(List<int[]> segments, int marker) {
        int[] found = null;
        for (int[] s : segments) {
            if (s[0] == marker) {
                assertTrue(found == null, String.format("one 0x%02X segment", marker));
                found = s;
            }
        }
        assertTrue(found != null, String.format("has a 0x%02X segment", marker));
        return found;
    }

    static int u16(byte[] b, int p) {
        return (b[p] & 0xFF) << 8 | (b[p + 1] & 0xFF);
    }

    static byte[] slice(byte[] b, int from, int length) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(b, from, length);
        return out.toByteArray();
    }
}
