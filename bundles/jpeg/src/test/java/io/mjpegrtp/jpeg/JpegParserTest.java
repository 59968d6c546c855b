package io.mjpegrtp.jpeg;

import io.mjpegrtp.testfixtures.Fixtures;
import static io.mjpegrtp.testfixtures.Fixtures.cjpeg;
import static io.mjpegrtp.testfixtures.Fixtures.concat;
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

class JpegParserTest {
    private final JpegParser parser = new JpegParser();

    @BeforeAll
    static void tools() {
        Fixtures.requireTools();
    }

    private JpegInfo parse(byte[] jpeg) throws JpegFormatException {
        JpegInfo info = new JpegInfo();
        parser.parse(ByteBuffer.wrap(jpeg), info);
        return info;
    }

    private String rejection(byte[] jpeg) {
        return assertThrows(JpegFormatException.class, () -> parse(jpeg)).getMessage();
    }

    /** Checks everything the packetizer relies on against an independent reading of the file. */
    private static void assertMatchesFile(byte[] j, JpegInfo info, int w, int h, int type, int restart) {
        assertEquals(w, info.width());
        assertEquals(h, info.height());
        assertEquals(type, info.rtpType());
        assertEquals(restart, info.restartInterval());
        assertEquals(0, info.start());
        assertEquals(Fixtures.scanStart(j), info.scanOffset());
        // cjpeg ends the file with EOI right after the scan
        assertEquals(j.length - 2, info.scanOffset() + info.scanLength());
        assertEquals(j.length, info.end());
        byte[][] dqt = Fixtures.dqtTables(j);
        byte[] q = info.quantizationTables();
        assertEquals(128, q.length);
        assertArrayEquals(dqt[0], Arrays.copyOfRange(q, 0, 64), "luma table");
        assertArrayEquals(dqt[dqt[1] == null ? 0 : 1], Arrays.copyOfRange(q, 64, 128), "chroma table");
    }

    @ParameterizedTest(name = "{0}x{1} {2}")
    @CsvSource({
        "64, 48, -quality 85 -sample 2x2, 1, 0",
        "64, 48, -quality 85 -sample 2x1, 0, 0",
        "64, 48, -quality 100 -sample 2x2, 1, 0",
        "64, 48, -quality 5 -baseline -sample 2x1, 0, 0",
        "64, 48, -sample 2x2 -restart 1, 1, 4",
        "64, 48, -sample 2x1 -restart 2B, 0, 2",
        "33, 17, -sample 2x2, 1, 0",
        "33, 17, -sample 2x1, 0, 0",
        "1918, 1078, -quality 85 -sample 2x2, 1, 0",
        "2048, 16, -sample 2x1, 0, 0",
        "1, 1, -sample 2x2, 1, 0",
        "16, 2041, -sample 2x2 -restart 3B, 1, 3",
    })
    void acceptsBaselineYCbCr(int w, int h, String options, int type, int restart) throws Exception {
        byte[] j = cjpeg(w, h, options.split(" "));
        JpegInfo info = parse(j);
        assertMatchesFile(j, info, w, h, type, restart);
        assertFalse(info.sharedQuantizationTable());
    }

    @Test
    void quality100TablesAreAllOnes() throws Exception {
        byte[] q = parse(cjpeg(64, 48, "-quality", "100", "-sample", "2x2")).quantizationTables();
        byte[] ones = new byte[128];
        Arrays.fill(ones, (byte) 1);
        assertArrayEquals(ones, q);
    }

    @Test
    void oneTableJpegYieldsTheTableTwice() throws Exception {
        StringBuilder table = new StringBuilder();
        for (int i = 0; i < 64; i++) {
            table.append(3 + i).append(i % 8 == 7 ? "\n" : " ");
        }
        String file = Fixtures.textFile("one-table.txt", table.toString());
        byte[] j = cjpeg(64, 48, "-qtables", file, "-qslots", "0", "-sample", "2x2");
        assertEquals(1, Fixtures.segments(j).stream().filter(s -> s.marker() == 0xDB).count());
        JpegInfo info = parse(j);
        assertMatchesFile(j, info, 64, 48, 1, 0);
        assertTrue(info.sharedQuantizationTable());
        byte[] q = info.quantizationTables();
        assertArrayEquals(Arrays.copyOfRange(q, 0, 64), Arrays.copyOfRange(q, 64, 128));
        assertEquals(3, q[0]); // DC, the first value in zig-zag order
    }

    @Test
    void restartIntervalFromJpegtranAndItsMarkersInTheScan() throws Exception {
        byte[] plain = cjpeg(64, 48, "-sample", "2x2");
        byte[] restarted = Fixtures.run(List.of("jpegtran", "-restart", "1B"), plain);
        JpegInfo info = parse(restarted);
        assertEquals(1, info.restartInterval());
        assertEquals(restarted.length - 2, info.scanOffset() + info.scanLength());
    }

    @Test
    void noDhtMeansStandardTables() throws Exception {
        byte[] j = cjpeg(64, 48, "-sample", "2x2");
        byte[] stripped = Fixtures.without(j, 0xC4);
        JpegInfo a = parse(j), b = parse(stripped);
        assertEquals(a.width(), b.width());
        assertArrayEquals(a.quantizationTables(), b.quantizationTables());
        assertEquals(a.scanLength(), b.scanLength());
    }

    @Test
    void nonStandardTableInAnUnusedSlotIsIgnored() throws Exception {
        byte[] j = cjpeg(64, 48, "-sample", "2x2");
        byte[] odd = new byte[1 + 16 + 2];
        odd[0] = 0x02; // DC table id 2, unused by the scan
        odd[1] = 2;
        odd[17] = 3;
        odd[18] = 4;
        parse(Fixtures.afterSoi(j, segment(0xC4, odd)));
    }

    @Test
    void sixteenBitTablesThatFitAreConverted() throws Exception {
        byte[] j = cjpeg(64, 48, "-sample", "2x2");
        byte[][] t = Fixtures.dqtTables(j);
        byte[] body = new byte[2 * 129];
        for (int id = 0; id < 2; id++) {
            body[id * 129] = (byte) (0x10 | id);
            for (int i = 0; i < 64; i++) {
                body[id * 129 + 2 + 2 * i] = t[id][i];
            }
        }
        byte[] wide = Fixtures.without(j, 0xDB);
        wide = Fixtures.afterSoi(wide, segment(0xDB, body));
        assertArrayEquals(parse(j).quantizationTables(), parse(wide).quantizationTables());
    }

    @Test
    void exifThumbnailDoesNotConfuseTheParser() throws Exception {
        // An acceptable thumbnail with other size and tables, and an unacceptable one: neither may be seen.
        byte[] main = cjpeg(64, 48, "-quality", "90", "-sample", "2x1");
        JpegInfo plain = parse(main);
        byte[] q = plain.quantizationTables().clone();
        for (byte[] thumb : List.of(cjpeg(160, 120, "-quality", "20", "-sample", "2x2", "-restart", "1"),
                cjpeg(16, 16, "-progressive", "-sample", "1x1"))) {
            byte[] j = Fixtures.afterSoi(main, Fixtures.exifApp1(thumb));
            JpegInfo info = parse(j);
            assertEquals(64, info.width());
            assertEquals(48, info.height());
            assertEquals(0, info.rtpType());
            assertEquals(0, info.restartInterval());
            assertArrayEquals(q, info.quantizationTables());
            assertEquals(Fixtures.scanStart(j), info.scanOffset());
            assertEquals(plain.scanLength(), info.scanLength());
        }
    }

    @Test
    void honoursPositionLimitAndNeverMovesThem() throws Exception {
        byte[] j = cjpeg(33, 17, "-sample", "2x2", "-restart", "1");
        JpegInfo ref = parse(j);
        byte[] framed = concat(new byte[37], j, new byte[] {0, 0, (byte) 0xFF, (byte) 0xD8, 0, 0});
        for (ByteBuffer b : List.of(ByteBuffer.wrap(framed), ByteBuffer.allocateDirect(framed.length).put(framed),
                ByteBuffer.wrap(framed).asReadOnlyBuffer())) {
            b.limit(framed.length - 3).position(37);
            JpegInfo info = new JpegInfo();
            parser.parse(b, info);
            assertEquals(37, b.position());
            assertEquals(framed.length - 3, b.limit());
            assertEquals(37, info.start());
            assertEquals(ref.scanOffset() + 37, info.scanOffset());
            assertEquals(ref.scanLength(), info.scanLength());
            assertEquals(37 + j.length, info.end());
            assertEquals(ref.restartInterval(), info.restartInterval());
        }
    }

    @Test
    void fillBytesBeforeEoiAreNotPartOfTheScan() throws Exception {
        byte[] j = cjpeg(64, 48, "-sample", "2x2");
        byte[] filled = concat(Arrays.copyOf(j, j.length - 2), new byte[] {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF,
                (byte) 0xD9, 0x55});
        JpegInfo a = parse(j), b = parse(filled);
        assertEquals(a.scanLength(), b.scanLength());
        assertEquals(filled.length - 1, b.end());
    }

    @Test
    void reusedInfoIsFullyOverwritten() throws Exception {
        JpegInfo info = new JpegInfo();
        parser.parse(ByteBuffer.wrap(cjpeg(64, 48, "-sample", "2x2", "-restart", "1")), info);
        byte[] j = cjpeg(33, 17, "-sample", "2x1");
        parser.parse(ByteBuffer.wrap(j), info);
        assertMatchesFile(j, info, 33, 17, 0, 0);
    }

    // ---- rejections, each with its reason ----

    @Test
    void rejects444() {
        assertEquals("component sampling 1x1/1x1/1x1 (4:4:4) is not supported;"
                + " accepted: luma 2x1 (4:2:2) or 2x2 (4:2:0) with chroma 1x1",
                rejection(cjpeg(64, 48, "-sample", "1x1")));
    }

    @Test
    void rejectsOtherSampling() {
        assertEquals("component sampling 1x2/1x1/1x1 (4:4:0) is not supported;"
                + " accepted: luma 2x1 (4:2:2) or 2x2 (4:2:0) with chroma 1x1",
                rejection(cjpeg(64, 48, "-sample", "1x2")));
        assertEquals("component sampling 4x1/1x1/1x1 (4:1:1) is not supported;"
                + " accepted: luma 2x1 (4:2:2) or 2x2 (4:2:0) with chroma 1x1",
                rejection(cjpeg(64, 48, "-sample", "4x1")));
        assertEquals("component sampling 2x2/2x1/1x1 is not supported;"
                + " accepted: luma 2x1 (4:2:2) or 2x2 (4:2:0) with chroma 1x1",
                rejection(cjpeg(64, 48, "-sample", "2x2,2x1,1x1")));
    }

    @Test
    void rejectsRgbJpeg() {
        assertTrue(rejection(cjpeg(64, 48, "-rgb")).startsWith("component sampling 1x1/1x1/1x1 (4:4:4)"));
        byte[] rgb = cjpeg(64, 48, "-rgb", "-sample", "2x2"); // sampled like 4:2:0, but R, G, B
        assertEquals("RGB JPEG (Adobe APP14 transform 0) is not supported; RFC 2435 carries YCbCr", rejection(rgb));
        assertEquals("RGB JPEG (component ids R, G, B) is not supported; RFC 2435 carries YCbCr",
                rejection(Fixtures.without(rgb, 0xEE)));
    }

    @Test
    void componentIdsRgbMeanRgbOnlyWithoutJfifOrAdobe() throws Exception {
        // libjpeg (jdapimin.c) reads 3 components as YCbCr with JFIF or Adobe transform 1, whatever the ids.
        byte[] ids = cjpeg(64, 48, "-sample", "2x2");
        int sof = first(ids, 0xC0).offset(), sos = first(ids, 0xDA).offset();
        for (int i = 0; i < 3; i++) {
            ids[sof + 10 + 3 * i] = (byte) "RGB".charAt(i);
            ids[sos + 5 + 2 * i] = (byte) "RGB".charAt(i);
        }
        assertEquals(64, parse(ids).width(), "JFIF present");
        byte[] bare = Fixtures.without(ids, 0xE0);
        assertEquals("RGB JPEG (component ids R, G, B) is not supported; RFC 2435 carries YCbCr", rejection(bare));
        byte[] adobe = {'A', 'd', 'o', 'b', 'e', 0, 100, 0, 0, 0, 0, 1};
        assertEquals(64, parse(Fixtures.afterSoi(bare, segment(0xEE, adobe))).width(), "Adobe transform 1");
        // ids 1, 2, 3 without JFIF are YCbCr
        assertEquals(64, parse(Fixtures.without(cjpeg(64, 48, "-sample", "2x2"), 0xE0)).width());
    }

    @Test
    void rejectsProgressive() {
        assertEquals("progressive JPEG (SOF2) is not supported; RFC 2435 carries baseline (SOF0/SOF1) only",
                rejection(cjpeg(64, 48, "-progressive", "-sample", "2x2")));
    }

    @Test
    void rejectsArithmetic() {
        assertEquals("arithmetic-coded JPEG (SOF9) is not supported; RFC 2435 carries baseline (SOF0/SOF1) only",
                rejection(cjpeg(64, 48, "-arithmetic", "-sample", "2x2")));
        assertEquals("progressive arithmetic-coded JPEG (SOF10) is not supported;"
                + " RFC 2435 carries baseline (SOF0/SOF1) only",
                rejection(cjpeg(64, 48, "-arithmetic", "-progressive", "-sample", "2x2")));
    }

    @Test
    void rejectsLosslessAndHierarchical() {
        byte[] j = cjpeg(64, 48, "-sample", "2x2");
        int sof = first(j, 0xC0).offset();
        byte[] lossless = j.clone();
        lossless[sof + 1] = (byte) 0xC3;
        assertEquals("lossless JPEG (SOF3) is not supported; RFC 2435 carries baseline (SOF0/SOF1) only",
                rejection(lossless));
        lossless[sof + 1] = (byte) 0xC5;
        assertTrue(rejection(lossless).startsWith("hierarchical JPEG (SOF5) is not supported"));
    }

    @Test
    void rejects12Bit() {
        byte[] j = cjpeg(64, 48, "-sample", "2x2");
        int sof = first(j, 0xC0).offset();
        j[sof + 1] = (byte) 0xC1;
        j[sof + 4] = 12;
        assertEquals("12-bit sample precision is not supported; RFC 2435 carries 8-bit samples only", rejection(j));
    }

    @Test
    void acceptsSof1With8BitTables() throws Exception {
        byte[] j = cjpeg(64, 48, "-sample", "2x2");
        j[first(j, 0xC0).offset() + 1] = (byte) 0xC1;
        assertEquals(64, parse(j).width());
    }

    @Test
    void rejectsGrayscale() {
        assertEquals("grayscale JPEG (1 component) is not supported; accepted: 3 components (Y, Cb, Cr)",
                rejection(cjpeg(64, 48, "-grayscale")));
    }

    @Test
    void rejectsFourComponents() {
        byte[] j = cjpeg(64, 48, "-sample", "2x2");
        byte[] sof = {8, 0, 48, 0, 64, 4, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1, 4, 0x22, 0};
        assertEquals("4-component JPEG (CMYK/YCCK) is not supported; accepted: 3 components (Y, Cb, Cr)",
                rejection(Fixtures.replace(j, first(j, 0xC0), segment(0xC0, sof))));
    }

    @Test
    void rejectsOptimizedHuffmanTables() {
        assertEquals("Huffman table DC0 used by Y is not the standard (JPEG Annex K) luma table;"
                + " RFC 2435 receivers assume the standard tables",
                rejection(cjpeg(64, 48, "-optimize", "-sample", "2x2")));
    }

    @Test
    void rejectsStandardTablesInTheWrongRole() {
        byte[] j = cjpeg(64, 48, "-sample", "2x2");
        int sos = first(j, 0xDA).offset();
        byte[] lumaUsesChroma = j.clone();
        lumaUsesChroma[sos + 6] = 0x10; // Y: DC1 (standard chroma), AC0
        assertEquals("Huffman table DC1 used by Y is not the standard (JPEG Annex K) luma table;"
                + " RFC 2435 receivers assume the standard tables", rejection(lumaUsesChroma));
        byte[] noDht = Fixtures.without(j, 0xC4);
        sos = first(noDht, 0xDA).offset();
        noDht[sos + 8] = 0x01; // Cb: DC0, AC1 with no DHT at all
        assertEquals("Huffman table DC0 used by Cb is not defined (without DHT only DC0/AC0 for luma and DC1/AC1"
                + " for chroma are implied); RFC 2435 receivers assume the standard tables", rejection(noDht));
    }

    @Test
    void rejectsTablesAbove255() {
        String m = rejection(cjpeg(64, 48, "-quality", "5", "-sample", "2x2"));
        assertTrue(m.startsWith("16-bit quantization table 0 has values above 255 ("), m);
        assertTrue(m.endsWith("); RFC 2435 carries 8-bit tables only"), m);
    }

    @Test
    void rejectsSeparateCbAndCrTables() {
        StringBuilder tables = new StringBuilder();
        for (int t = 0; t < 3; t++) {
            for (int i = 0; i < 64; i++) {
                tables.append(10 + t).append(i % 8 == 7 ? "\n" : " ");
            }
        }
        String file = Fixtures.textFile("three-tables.txt", tables.toString());
        assertEquals("Cb and Cr use different quantization tables (1 and 2); RFC 2435 carries one chroma table",
                rejection(cjpeg(64, 48, "-qtables", file, "-qslots", "0,1,2", "-sample", "2x2")));
    }

    @Test
    void rejectsZeroSize() {
        byte[] j = cjpeg(64, 48, "-sample", "2x2");
        int sof = first(j, 0xC0).offset();
        j[sof + 7] = 0;
        j[sof + 8] = 0;
        assertEquals("picture size 0x48 is not supported; width and height must be at least 1 (no DNL)",
                rejection(j));
    }

    @Test
    void rejectsMissingDqt() {
        assertEquals("quantization table 0 used by Y is not defined (no DQT before the scan)",
                rejection(Fixtures.without(cjpeg(64, 48, "-sample", "2x2"), 0xDB)));
    }

    @Test
    void rejectsNonJpeg() {
        assertEquals("not a JPEG: no SOI marker", rejection(new byte[0]));
        assertEquals("not a JPEG: no SOI marker", rejection(new byte[] {(byte) 0x89, 'P', 'N', 'G'}));
    }

    @Test
    void rejectsTruncatedSegmentNamingIt() {
        byte[] j = cjpeg(64, 48, "-sample", "2x2");
        assertEquals(0xDB, Fixtures.segments(j).get(1).marker()); // SOI, APP0 (18 bytes), DQT at 20
        assertEquals("truncated JPEG: segment DQT at offset 20 runs past the end of the data (30 bytes)",
                rejection(Arrays.copyOf(j, 30)));
    }

    @Test
    void rejectsMissingSosAndEoi() {
        byte[] j = cjpeg(64, 48, "-sample", "2x2");
        int sos = first(j, 0xDA).offset();
        assertEquals("malformed JPEG: EOI at offset " + sos + " before any SOS (no scan)",
                rejection(concat(Arrays.copyOf(j, sos), new byte[] {(byte) 0xFF, (byte) 0xD9})));
        assertEquals("truncated JPEG: no SOS marker before the end of the data (" + sos + " bytes)",
                rejection(Arrays.copyOf(j, sos)));
        assertEquals("truncated JPEG: no EOI marker after the scan (" + (j.length - 2) + " bytes)",
                rejection(Arrays.copyOf(j, j.length - 2)));
    }

    @Test
    void rejectsMultipleScans() {
        String scans = Fixtures.textFile("scans.txt", "0;\n1;\n2;\n");
        assertEquals("scan with 1 component(s) is not supported; RFC 2435 carries one interleaved scan of Y, Cb and Cr",
                rejection(cjpeg(64, 48, "-scans", scans, "-sample", "2x2")));
        // A second interleaved scan after the first one
        byte[] j = cjpeg(64, 48, "-sample", "2x2");
        int sos = first(j, 0xDA).offset();
        byte[] twice = concat(Arrays.copyOf(j, j.length - 2), Arrays.copyOfRange(j, sos, j.length));
        assertEquals("marker SOS at offset " + (j.length - 2) + " follows the first scan; multiple scans are not"
                + " supported, RFC 2435 carries one scan", rejection(twice));
    }

    // ---- robustness ----

    @Test
    void everyTruncationIsAFormatError() {
        byte[] thumb = cjpeg(16, 8, "-sample", "2x1");
        byte[] j = Fixtures.afterSoi(cjpeg(33, 17, "-sample", "2x2", "-restart", "1B"), Fixtures.exifApp1(thumb));
        for (int n = 0; n < j.length; n++) {
            byte[] cut = Arrays.copyOf(j, n);
            assertThrows(JpegFormatException.class, () -> parse(cut), "length " + n);
        }
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS) // a guard against hangs, not a performance check
    void randomMutationsYieldOnlyFormatErrors() {
        List<byte[]> seeds = List.of(cjpeg(33, 17, "-sample", "2x2", "-restart", "2B"),
                cjpeg(64, 48, "-sample", "2x1", "-optimize"), cjpeg(24, 16, "-progressive"),
                Fixtures.afterSoi(cjpeg(16, 16, "-sample", "2x2"), Fixtures.exifApp1(cjpeg(8, 8, "-sample", "2x2"))));
        Random r = new Random(2435);
        int accepted = 0;
        for (int i = 0; i < 20_000; i++) {
            byte[] j = seeds.get(i % seeds.size()).clone();
            // Mutations concentrate on the headers, where the parser makes its decisions.
            int headers = Math.min(j.length, 700);
            for (int k = 1 + r.nextInt(4); k > 0; k--) {
                int at = r.nextInt(4) == 0 ? r.nextInt(j.length) : r.nextInt(headers);
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
            accepted += parsesOrFormatError(j);
        }
        for (int i = 0; i < 2_000; i++) {
            byte[] j = new byte[r.nextInt(300)];
            r.nextBytes(j);
            if (j.length > 2 && r.nextBoolean()) {
                j[0] = (byte) 0xFF;
                j[1] = (byte) 0xD8;
            }
            parsesOrFormatError(j);
        }
        assertTrue(accepted > 100, "mutations of scan bytes should mostly keep a JPEG acceptable: " + accepted);
    }

    private int parsesOrFormatError(byte[] j) {
        JpegInfo info = new JpegInfo();
        try {
            parser.parse(ByteBuffer.wrap(j), info);
        } catch (JpegFormatException e) {
            assertFalse(e.getMessage().isBlank());
            assertFalse(e.getMessage().contains("\n"), "one-line messages");
            return 0;
        } catch (RuntimeException e) {
            fail("parse threw " + e + " for " + j.length + " bytes", e);
        }
        assertTrue(info.width() > 0 && info.height() > 0);
        assertTrue(info.scanOffset() > 0 && info.scanLength() > 0 && info.end() <= j.length);
        assertEquals((byte) 0xD9, j[info.end() - 1]);
        return 1;
    }

    @Test
    void steadyStateAllocatesNothing() throws Exception {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        ByteBuffer b = ByteBuffer.wrap(cjpeg(64, 48, "-sample", "2x2", "-restart", "1"));
        JpegInfo info = new JpegInfo();
        for (int i = 0; i < 20_000; i++) {
            parser.parse(b, info);
        }
        long before = mx.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < 20_000; i++) {
            parser.parse(b, info);
        }
        long allocated = mx.getCurrentThreadAllocatedBytes() - before;
        assertTrue(allocated < 20_000, "parse allocated " + allocated + " bytes in 20000 calls");
    }
}
