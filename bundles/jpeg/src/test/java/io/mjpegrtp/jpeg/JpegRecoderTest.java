package io.mjpegrtp.jpeg;

import io.mjpegrtp.testfixtures.Fixtures;
import static io.mjpegrtp.testfixtures.Fixtures.cjpeg;
import static io.mjpegrtp.testfixtures.Fixtures.first;
import static io.mjpegrtp.testfixtures.Fixtures.segment;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class JpegRecoderTest {
    private final JpegRecoder recoder = new JpegRecoder();
    private final JpegParser parser = new JpegParser();

    @BeforeAll
    static void tools() {
        Fixtures.requireTools();
        Fixtures.requireFfmpeg();
    }

    /** A source picture described in a test table: cjpeg options, "jpegtran ..." of a cjpeg, or "ffmpeg fmt". */
    private static byte[] source(int w, int h, String how) throws Exception {
        String[] words = how.split(" ");
        return switch (words[0]) {
            case "ffmpeg" -> Fixtures.ffmpegJpeg(w, h, words[1]);
            case "jpegtran" -> Fixtures.run(List.of(words).subList(0, words.length - 1),
                    cjpeg(w, h, "-sample", words[words.length - 1]));
            default -> cjpeg(w, h, words);
        };
    }

    /** The parser must reject the source as recodable, and accept the re-coded picture. */
    private byte[] recodeAccepted(byte[] source, JpegInfo info) throws Exception {
        JpegFormatException e = assertThrows(JpegFormatException.class,
                () -> parser.parse(ByteBuffer.wrap(source), new JpegInfo()));
        assertTrue(e.recodable(), "recodable: " + e.getMessage());
        ByteBuffer view = recoder.recode(ByteBuffer.wrap(source));
        byte[] out = new byte[view.remaining()];
        view.get(view.position(), out);
        parser.parse(ByteBuffer.wrap(out), info);
        return out;
    }

    private static void assertSameCoefficients(ReferenceDecoder.Component a, ReferenceDecoder.Component b,
            String what) {
        assertEquals(a.blocksWide(), b.blocksWide(), what + " blocks wide");
        assertEquals(a.blocksHigh(), b.blocksHigh(), what + " blocks high");
        assertArrayEquals(a.quantization(), b.quantization(), what + " quantization");
        int[] x = a.coefficients(), y = b.coefficients();
        for (int i = 0; i < x.length; i++) {
            if (x[i] != y[i]) {
                fail(what + ": block " + i / 64 + " coefficient " + i % 64 + " is " + y[i] + ", was " + x[i]);
            }
        }
    }

    // ---- 1. Huffman tables only: the layout is kept, djpeg's output must not change ----

    @ParameterizedTest(name = "{0}x{1} {2}")
    @CsvSource({
        "64, 48, -optimize -sample 2x2",
        "33, 17, -optimize -sample 2x2",
        "1918, 1078, -optimize -quality 85 -sample 2x2",
        "33, 17, -optimize -sample 2x1",
        "1918, 1078, -optimize -quality 85 -sample 2x1",
        "33, 17, -optimize -restart 1 -sample 2x2",
        "1918, 1078, -optimize -restart 3B -sample 2x1",
        "1, 1, -optimize -sample 2x2",
        "64, 48, -optimize -quality 100 -sample 2x2",
        "33, 17, jpegtran -optimize 2x2",
        "1918, 1078, jpegtran -optimize 2x1",
        "64, 48, jpegtran -optimize -restart 2 2x1",
        "640, 480, ffmpeg yuvj420p",
        "33, 17, ffmpeg yuvj420p",
        "1918, 1078, ffmpeg yuvj420p",
    })
    void recodesHuffmanTablesLosslessly(int w, int h, String how) throws Exception {
        byte[] src = source(w, h, how);
        JpegInfo info = new JpegInfo();
        byte[] out = recodeAccepted(src, info);
        assertEquals(w, info.width());
        assertEquals(h, info.height());
        ReferenceDecoder.Picture a = ReferenceDecoder.decode(src), b = ReferenceDecoder.decode(out);
        assertEquals(a.components()[0].v() == 2 ? JpegInfo.TYPE_420 : JpegInfo.TYPE_422, info.rtpType());
        assertEquals(a.restartInterval(), info.restartInterval(), "restart markers stay where they were");
        for (int c = 0; c < 3; c++) {
            assertSameCoefficients(a.components()[c], b.components()[c], "component " + c);
        }
        assertArrayEquals(Fixtures.djpeg(src, "-pnm"), Fixtures.djpeg(out, "-pnm"), "djpeg decodes the same picture");
    }

    // ---- 2. 4:2:2 in another form: re-laid out into luma 2x1, chroma 1x1 ----

    @ParameterizedTest(name = "{0}x{1} {2}")
    @CsvSource({
        "640, 480, ffmpeg yuvj422p, true",
        "33, 17, ffmpeg yuvj422p, true",
        "1918, 1078, ffmpeg yuvj422p, true",
        "33, 17, '-sample 2x2,1x2,1x2', true",
        "1918, 1078, '-optimize -sample 2x2,1x2,1x2', true",
        "64, 48, '-sample 2x2,1x2,1x2 -restart 1', true",
        "33, 17, '-optimize -sample 2x2,1x2,1x2 -restart 3B', true",
        "1, 1, '-sample 2x2,1x2,1x2', true",
        "33, 17, '-sample 4x1,2x1,2x1', false",
        "1918, 1078, '-sample 4x1,2x1,2x1 -restart 5B', false",
    })
    void relaysOut422Losslessly(int w, int h, String how, boolean ffmpegDecodes) throws Exception {
        byte[] src = source(w, h, how);
        JpegInfo info = new JpegInfo();
        byte[] out = recodeAccepted(src, info);
        assertEquals(JpegInfo.TYPE_422, info.rtpType());
        assertEquals(w, info.width());
        assertEquals(h, info.height());
        ReferenceDecoder.Picture a = ReferenceDecoder.decode(src), b = ReferenceDecoder.decode(out);
        for (int c = 0; c < 3; c++) {
            assertSameCoefficients(a.components()[c], b.components()[c], "component " + c);
        }
        if (a.restartInterval() > 0) {
            int srcMcu = 64 * a.components()[0].h() * a.components()[0].v();
            assertEquals(Math.max(1, a.restartInterval() * srcMcu / 128), info.restartInterval(), "scaled interval");
        }
        if (ffmpegDecodes) { // FFmpeg does not decode 4x1/2x1 sampling at all
            assertArrayEquals(Fixtures.ffmpegDecode(src, "yuvj422p"), Fixtures.ffmpegDecode(out, "yuvj422p"),
                    "FFmpeg decodes the same planes");
        }
        assertArrayEquals(Fixtures.djpeg(src, "-pnm"), Fixtures.djpeg(out, "-pnm"), "djpeg decodes the same picture");
    }

    // ---- grayscale: sent as 4:2:0 with neutral chroma ----

    @ParameterizedTest(name = "{0}x{1} {2}")
    @CsvSource({
        "64, 48, -grayscale",
        "33, 17, -grayscale -optimize",
        "1918, 1078, -grayscale -quality 85",
        "1918, 1078, -grayscale -optimize -restart 7B",
        "17, 33, -grayscale -restart 1",
        "1, 1, -grayscale",
    })
    void sendsGrayscaleAs420WithNeutralChroma(int w, int h, String how) throws Exception {
        byte[] src = source(w, h, how);
        JpegInfo info = new JpegInfo();
        byte[] out = recodeAccepted(src, info);
        assertEquals(JpegInfo.TYPE_420, info.rtpType());
        assertEquals(w, info.width());
        assertEquals(h, info.height());
        ReferenceDecoder.Picture a = ReferenceDecoder.decode(src), b = ReferenceDecoder.decode(out);
        if (a.components().length == 1) {
            assertSameCoefficients(a.components()[0], b.components()[0], "luma");
            for (int c = 1; c < 3; c++) {
                assertTrue(Arrays.stream(b.components()[c].coefficients()).allMatch(v -> v == 0), "neutral chroma");
            }
            byte[] gray = Fixtures.djpeg(src, "-pnm");
            assertArrayEquals(gray, Fixtures.djpeg(out, "-grayscale", "-pnm"), "djpeg: same luma");
            byte[] rgb = Fixtures.djpeg(out, "-pnm"), pixels = pixels(gray);
            byte[] rgbPixels = pixels(rgb);
            for (int i = 0; i < pixels.length; i++) {
                for (int k = 0; k < 3; k++) {
                    if (rgbPixels[3 * i + k] != pixels[i]) {
                        fail("djpeg: pixel " + i + " is not gray");
                    }
                }
            }
            byte[] y = Fixtures.ffmpegDecode(src, "gray"), yuv = Fixtures.ffmpegDecode(out, "yuvj420p");
            assertArrayEquals(y, Arrays.copyOf(yuv, w * h), "FFmpeg: same luma");
            for (int i = w * h; i < yuv.length; i++) {
                assertEquals(128, yuv[i] & 0xFF, "FFmpeg: neutral chroma");
            }
            assertEquals(w * h + 2 * ((w + 1) / 2) * ((h + 1) / 2), yuv.length);
        } else {
            fail("FFmpeg wrote gray as " + a.components().length + " components; expected 1");
        }
    }

    /** Pixel bytes of a binary PNM (P5/P6 with maxval 255). */
    private static byte[] pixels(byte[] pnm) {
        int fields = 0, i = 0;
        while (fields < 4) { // magic, width, height, maxval, each followed by whitespace
            while (Character.isWhitespace(pnm[i])) {
                i++;
            }
            while (!Character.isWhitespace(pnm[i])) {
                i++;
            }
            fields++;
        }
        return Arrays.copyOfRange(pnm, i + 1, pnm.length);
    }

    // ---- 3. quantization tables ----

    @Test
    void sixteenBitTablesThatFitBecomeEightBit() throws Exception {
        byte[] j = cjpeg(64, 48, "-optimize", "-sample", "2x2");
        byte[][] t = Fixtures.dqtTables(j);
        byte[] body = new byte[2 * 129];
        for (int id = 0; id < 2; id++) {
            body[id * 129] = (byte) (0x10 | id);
            for (int i = 0; i < 64; i++) {
                body[id * 129 + 2 + 2 * i] = t[id][i];
            }
        }
        byte[] wide = Fixtures.afterSoi(Fixtures.without(j, 0xDB), segment(0xDB, body));
        JpegInfo info = new JpegInfo();
        byte[] out = recodeAccepted(wide, info);
        Fixtures.Segment dqt = first(out, 0xDB);
        assertEquals(2 + 2 * 65, dqt.size() - 2, "two 8-bit tables");
        assertEquals(0, out[dqt.offset() + 4] >> 4, "8-bit precision");
        assertArrayEquals(t[0], Arrays.copyOf(info.quantizationTables(), 64));
        assertArrayEquals(t[1], Arrays.copyOfRange(info.quantizationTables(), 64, 128));
        assertArrayEquals(Fixtures.djpeg(j, "-pnm"), Fixtures.djpeg(out, "-pnm"));
    }

    @Test
    void cbAndCrTablesWithEqualValuesAreOneTable() throws Exception {
        StringBuilder tables = new StringBuilder();
        for (int t = 0; t < 3; t++) {
            for (int i = 0; i < 64; i++) {
                tables.append(t == 0 ? 4 : 9).append(i % 8 == 7 ? "\n" : " ");
            }
        }
        String file = Fixtures.textFile("equal-chroma-tables.txt", tables.toString());
        byte[] j = cjpeg(64, 48, "-qtables", file, "-qslots", "0,1,2", "-sample", "2x2");
        JpegInfo info = new JpegInfo();
        parser.parse(ByteBuffer.wrap(j), info); // accepted as is: a receiver cannot tell the difference
        assertEquals(9, info.quantizationTables()[64]);
        byte[] optimized = cjpeg(64, 48, "-qtables", file, "-qslots", "0,1,2", "-sample", "2x2", "-optimize");
        byte[] out = recodeAccepted(optimized, info);
        assertArrayEquals(Fixtures.djpeg(optimized, "-pnm"), Fixtures.djpeg(out, "-pnm"));
    }

    @Test
    void undefinedSlotZeroForChromaIsRecodable() {
        // libjpeg and FFmpeg load the standard luma tables into an undefined slot 0, whoever uses it.
        byte[] j = Fixtures.without(cjpeg(64, 48, "-sample", "2x2"), 0xC4);
        j[first(j, 0xDA).offset() + 8] = 0x00; // Cb: DC0, AC0
        JpegFormatException e = assertThrows(JpegFormatException.class,
                () -> parser.parse(ByteBuffer.wrap(j), new JpegInfo()));
        assertTrue(e.recodable(), e.getMessage());
    }

    // ---- rejections, each naming the property ----

    private String rejection(byte[] jpeg) {
        JpegFormatException p = assertThrows(JpegFormatException.class,
                () -> parser.parse(ByteBuffer.wrap(jpeg), new JpegInfo()));
        assertFalse(p.recodable(), "parser says not recodable: " + p.getMessage());
        JpegFormatException r = assertThrows(JpegFormatException.class, () -> recoder.recode(ByteBuffer.wrap(jpeg)));
        assertFalse(r.recodable());
        return r.getMessage();
    }

    @Test
    void rejectsWhatCannotBeRecoded() throws Exception {
        String baseline = "; RFC 2435 carries baseline (SOF0/SOF1) only";
        assertEquals("progressive JPEG (SOF2) is not supported" + baseline,
                rejection(cjpeg(64, 48, "-progressive", "-sample", "2x2")));
        assertEquals("arithmetic-coded JPEG (SOF9) is not supported" + baseline,
                rejection(cjpeg(64, 48, "-arithmetic", "-sample", "2x2")));
        byte[] j = cjpeg(64, 48, "-optimize", "-sample", "2x2");
        int sof = first(j, 0xC0).offset();
        byte[] other = j.clone();
        other[sof + 1] = (byte) 0xC3;
        assertEquals("lossless JPEG (SOF3) is not supported" + baseline, rejection(other));
        other[sof + 1] = (byte) 0xC5;
        assertEquals("hierarchical JPEG (SOF5) is not supported" + baseline, rejection(other));
        other = j.clone();
        other[sof + 1] = (byte) 0xC1;
        other[sof + 4] = 12;
        assertEquals("12-bit sample precision is not supported; RFC 2435 carries 8-bit samples only", rejection(other));
        String sampling = " is not supported; accepted: luma 2x1 (4:2:2) or 2x2 (4:2:0) with chroma 1x1";
        assertEquals("component sampling 1x1/1x1/1x1 (4:4:4)" + sampling,
                rejection(cjpeg(64, 48, "-optimize", "-sample", "1x1")));
        assertEquals("component sampling 1x2/1x2/1x2 (4:4:4)" + sampling,
                rejection(Fixtures.ffmpegJpeg(64, 48, "yuvj444p")));
        assertEquals("component sampling 1x2/1x1/1x1 (4:4:0)" + sampling, rejection(cjpeg(64, 48, "-sample", "1x2")));
        assertEquals("component sampling 4x1/1x1/1x1 (4:1:1)" + sampling, rejection(cjpeg(64, 48, "-sample", "4x1")));
        assertEquals("component sampling 2x2/2x1/1x1" + sampling, rejection(cjpeg(64, 48, "-sample", "2x2,2x1,1x1")));
        byte[] cmyk = Fixtures.replace(j, first(j, 0xC0), segment(0xC0,
                new byte[] {8, 0, 48, 0, 64, 4, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1, 4, 0x22, 0}));
        assertEquals("4-component JPEG (CMYK/YCCK) is not supported; accepted: 3 components (Y, Cb, Cr) or grayscale",
                rejection(cmyk));
        assertEquals("RGB JPEG (Adobe APP14 transform 0) is not supported; RFC 2435 carries YCbCr",
                rejection(cjpeg(64, 48, "-rgb", "-sample", "2x2", "-optimize")));
        String m = rejection(cjpeg(64, 48, "-quality", "5", "-sample", "2x2", "-optimize"));
        assertTrue(m.startsWith("16-bit quantization table 0 has values above 255 ("), m);
        StringBuilder tables = new StringBuilder();
        for (int t = 0; t < 3; t++) {
            for (int i = 0; i < 64; i++) {
                tables.append(10 + t).append(i % 8 == 7 ? "\n" : " ");
            }
        }
        String file = Fixtures.textFile("three-tables-optimized.txt", tables.toString());
        assertEquals("Cb and Cr use different quantization tables (1 and 2); RFC 2435 carries one chroma table",
                rejection(cjpeg(64, 48, "-qtables", file, "-qslots", "0,1,2", "-sample", "2x2", "-optimize")));
        byte[] swapped = j.clone(); // Cr named before Cb: libjpeg refuses it too
        int sos = first(swapped, 0xDA).offset();
        swapped[sos + 7] = 3;
        swapped[sos + 9] = 2;
        assertEquals("malformed JPEG: scan components are not in frame order (JPEG B.2.3);"
                + " RFC 2435 carries one interleaved scan of Y, Cb and Cr", rejection(swapped));
        String scans = Fixtures.textFile("scans-optimized.txt", "0;\n1;\n2;\n");
        assertTrue(rejection(cjpeg(64, 48, "-scans", scans, "-sample", "2x2", "-optimize"))
                .startsWith("scan with 1 component(s) is not supported"));
    }

    @Test
    void corruptEntropyCodedDataIsNamed() throws Exception {
        byte[] j = cjpeg(64, 48, "-optimize", "-sample", "2x2");
        int scan = Fixtures.scanStart(j);
        byte[] cut = Arrays.copyOf(j, scan + 20); // the scan ends early: no zero-filling
        String m = assertThrows(JpegFormatException.class, () -> recoder.recode(ByteBuffer.wrap(cut))).getMessage();
        assertTrue(m.startsWith("corrupt entropy-coded data at MCU "), m);
        assertTrue(m.endsWith(": the data ends early (at a marker or the end of the input)"), m);
        byte[] restart = cjpeg(64, 48, "-optimize", "-sample", "2x2", "-restart", "1B");
        int at = Fixtures.scanStart(restart);
        while (!(restart[at] == (byte) 0xFF && restart[at + 1] == (byte) 0xD0)) {
            at++;
        }
        restart[at + 1] = (byte) 0xD3;
        assertEquals("corrupt entropy-coded data at MCU 1 of 12: expected RST0, found RST3",
                assertThrows(JpegFormatException.class, () -> recoder.recode(ByteBuffer.wrap(restart))).getMessage());
    }

    @Test
    @Timeout(value = 10, unit = TimeUnit.SECONDS) // a guard: no zero-filling of 65535x65535 from 16x16 of data
    void hugeDeclaredSizeWithLittleDataFailsAtTheEndOfTheData() throws Exception {
        byte[] j = cjpeg(16, 16, "-optimize", "-grayscale");
        int sof = first(j, 0xC0).offset();
        j[sof + 5] = j[sof + 6] = j[sof + 7] = j[sof + 8] = (byte) 0xFF; // 65535 x 65535
        String m = assertThrows(JpegFormatException.class, () -> recoder.recode(ByteBuffer.wrap(j))).getMessage();
        assertTrue(m.startsWith("corrupt entropy-coded data at MCU "), m);
        assertTrue(m.endsWith(": the data ends early (at a marker or the end of the input)"), m);
    }

    // ---- buffers, positions, reuse ----

    @Test
    void honoursPositionLimitAndDirectBuffers() throws Exception {
        byte[] j = cjpeg(33, 17, "-optimize", "-sample", "2x2", "-restart", "1");
        byte[] expected = copy(recoder.recode(ByteBuffer.wrap(j)));
        byte[] framed = Fixtures.concat(new byte[37], j, new byte[] {1, 2, 3});
        for (ByteBuffer b : List.of(ByteBuffer.wrap(framed), ByteBuffer.allocateDirect(framed.length).put(framed),
                ByteBuffer.wrap(framed).asReadOnlyBuffer(), ByteBuffer.wrap(framed, 30, framed.length - 30).slice())) {
            int offset = b.capacity() == framed.length ? 37 : 7;
            b.limit(offset + j.length).position(offset);
            assertArrayEquals(expected, copy(recoder.recode(b)));
            assertEquals(offset, b.position());
            assertEquals(offset + j.length, b.limit());
        }
    }

    @Test
    void reusedBuffersGiveTheSameResults() throws Exception {
        List<byte[]> inputs = List.of(cjpeg(1918, 1078, "-optimize", "-sample", "2x2"),
                cjpeg(33, 17, "-grayscale", "-restart", "1"), Fixtures.ffmpegJpeg(640, 480, "yuvj422p"),
                cjpeg(16, 16, "-optimize", "-sample", "2x1"), cjpeg(1918, 1078, "-grayscale", "-optimize"));
        for (int round = 0; round < 2; round++) {
            for (byte[] j : inputs) {
                assertArrayEquals(copy(new JpegRecoder().recode(ByteBuffer.wrap(j))),
                        copy(recoder.recode(ByteBuffer.wrap(j))));
            }
        }
    }

    private static byte[] copy(ByteBuffer b) {
        byte[] out = new byte[b.remaining()];
        b.get(b.position(), out);
        return out;
    }

    @Test
    void steadyStateAllocatesNothing() throws Exception {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        ByteBuffer b = ByteBuffer.wrap(Fixtures.ffmpegJpeg(640, 480, "yuvj422p"));
        for (int i = 0; i < 500; i++) {
            recoder.recode(b);
        }
        long before = mx.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < 500; i++) {
            recoder.recode(b);
        }
        long allocated = mx.getCurrentThreadAllocatedBytes() - before;
        assertTrue(allocated < 20_000, "recode allocated " + allocated + " bytes in 500 calls");
    }

    // ---- robustness ----

    @Test
    void everyTruncationIsAFormatError() throws Exception {
        for (byte[] j : List.of(cjpeg(33, 17, "-optimize", "-sample", "2x2", "-restart", "1B"),
                cjpeg(24, 16, "-sample", "2x2,1x2,1x2", "-restart", "1"), cjpeg(17, 9, "-grayscale", "-optimize"))) {
            int accepted = 0;
            for (int n = 0; n <= j.length; n++) {
                accepted += recodesOrFormatError(Arrays.copyOf(j, n));
            }
            // Only cuts in the last few bytes (the padding and EOI) may still hold every MCU.
            assertTrue(accepted <= 4, "accepted " + accepted + " truncations");
        }
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS) // a guard against hangs, not a performance check
    void randomMutationsYieldOnlyFormatErrors() throws Exception {
        List<byte[]> seeds = List.of(cjpeg(33, 17, "-optimize", "-sample", "2x2", "-restart", "2B"),
                cjpeg(64, 48, "-sample", "2x1", "-optimize"), cjpeg(40, 24, "-sample", "2x2,1x2,1x2"),
                cjpeg(24, 16, "-grayscale", "-optimize", "-restart", "1"), Fixtures.ffmpegJpeg(48, 32, "yuvj422p"),
                cjpeg(24, 16, "-sample", "4x1,2x1,2x1", "-optimize"));
        Random r = new Random(2435);
        int accepted = 0;
        for (int i = 0; i < 6_000; i++) {
            byte[] j = seeds.get(i % seeds.size()).clone();
            for (int k = 1 + r.nextInt(4); k > 0; k--) {
                int at = r.nextInt(2) == 0 ? r.nextInt(j.length) : r.nextInt(Math.min(j.length, 700));
                j[at] = switch (r.nextInt(4)) {
                    case 0 -> (byte) 0xFF;
                    case 1 -> (byte) (j[at] ^ (1 << r.nextInt(8)));
                    case 2 -> 0;
                    default -> (byte) r.nextInt(256);
                };
            }
            if (r.nextInt(8) == 0) {
                j = Arrays.copyOf(j, r.nextInt(j.length + 1));
            }
            accepted += recodesOrFormatError(j);
        }
        for (int i = 0; i < 2_000; i++) {
            byte[] j = new byte[r.nextInt(400)];
            r.nextBytes(j);
            if (j.length > 2 && r.nextBoolean()) {
                j[0] = (byte) 0xFF;
                j[1] = (byte) 0xD8;
            }
            recodesOrFormatError(j);
        }
        assertTrue(accepted > 500, "mutated scans should often still re-code: " + accepted);
    }

    /** Re-codes; a result must be accepted by the parser. */
    private int recodesOrFormatError(byte[] j) {
        ByteBuffer out;
        try {
            out = recoder.recode(ByteBuffer.wrap(j));
        } catch (JpegFormatException e) {
            assertFalse(e.getMessage().isBlank());
            assertFalse(e.getMessage().contains("\n"), "one-line messages");
            return 0;
        } catch (RuntimeException e) {
            throw new AssertionError("recode threw " + e + " for " + j.length + " bytes", e);
        }
        try {
            parser.parse(out, new JpegInfo());
        } catch (JpegFormatException e) {
            fail("the parser rejects a re-coded picture: " + e.getMessage());
        }
        return 1;
    }
}
