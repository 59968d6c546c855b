package io.mjpegrtp.jpeg;

import io.mjpegrtp.testfixtures.Fixtures;
import static io.mjpegrtp.testfixtures.Fixtures.cjpeg;
import static io.mjpegrtp.testfixtures.Fixtures.concat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.mjpegrtp.jpeg.JpegStreamSplitter.Range;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class JpegStreamSplitterTest {
    @BeforeAll
    static void tools() {
        Fixtures.requireTools();
    }

    private static List<byte[]> pictures() {
        return List.of(cjpeg(64, 48, "-sample", "2x2"),
                Fixtures.afterSoi(cjpeg(33, 17, "-sample", "2x1", "-restart", "1"),
                        Fixtures.exifApp1(cjpeg(16, 16, "-sample", "2x2"))),
                cjpeg(24, 16, "-progressive"), // several scans with DHT between them
                cjpeg(40, 8, "-grayscale"),
                cjpeg(64, 48, "-quality", "100", "-sample", "2x2", "-restart", "2B"));
    }

    /** Concatenates pictures with optional junk between them and returns the expected ranges. */
    private static List<Range> layout(List<byte[]> pics, List<byte[]> out, byte[] junk) {
        List<Range> expected = new ArrayList<>();
        int at = 0;
        for (byte[] p : pics) {
            out.add(junk);
            at += junk.length;
            out.add(p);
            expected.add(new Range(at, at + p.length));
            at += p.length;
        }
        return expected;
    }

    @Test
    void splitsBackToBackPictures() {
        List<byte[]> parts = new ArrayList<>();
        List<Range> expected = layout(pictures(), parts, new byte[0]);
        assertEquals(expected, JpegStreamSplitter.split(ByteBuffer.wrap(concat(parts.toArray(byte[][]::new)))));
    }

    @Test
    void skipsJunkBetweenPicturesAndHonoursPosition() {
        List<byte[]> parts = new ArrayList<>();
        byte[] junk = {0, (byte) 0xFF, (byte) 0xD8, 0x11, (byte) 0xFF, (byte) 0xD9, 0x42};
        List<Range> expected = layout(pictures(), parts, junk);
        byte[] all = concat(parts.toArray(byte[][]::new));
        ByteBuffer b = ByteBuffer.wrap(all);
        assertEquals(expected, JpegStreamSplitter.split(b));
        b.position(expected.get(1).start()).limit(expected.get(3).end());
        assertEquals(expected.subList(1, 4), JpegStreamSplitter.split(b));
        assertEquals(expected.get(1).start(), b.position());
        assertEquals(expected.get(3).end(), b.limit());
    }

    @Test
    void damagedPictureDoesNotLoseTheRest() {
        List<byte[]> pics = pictures();
        byte[] a = pics.get(0), b = pics.get(1), c = pics.get(4);
        byte[] scanCut = Arrays.copyOf(b, b.length - 40); // the camera lost the end of a picture
        byte[] headerCut = Arrays.copyOf(a, 100); // a picture cut inside its DQT
        byte[] badLength = b.clone();
        badLength[4] = (byte) 0x7F; // APP1 length now runs far past the picture
        byte[] all = concat(a, scanCut, c, headerCut, a, badLength, c, Arrays.copyOf(c, c.length - 1));
        int p = 0;
        List<Range> expected = new ArrayList<>();
        expected.add(new Range(p, p += a.length));
        p += scanCut.length;
        expected.add(new Range(p, p += c.length));
        p += headerCut.length;
        expected.add(new Range(p, p += a.length));
        p += badLength.length;
        expected.add(new Range(p, p += c.length));
        List<Range> found = JpegStreamSplitter.split(ByteBuffer.wrap(all));
        // The EXIF thumbnail of the damaged picture may be found as a picture of its own; the others must be there.
        assertTrue(found.containsAll(expected), found + " should contain " + expected);
        for (Range r : found) {
            if (!expected.contains(r)) {
                assertEquals(cjpeg(16, 16, "-sample", "2x2").length, r.length(),
                        "only the thumbnail may be extra: " + r);
            }
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS) // a guard against hangs, not a performance check
    void randomDataNeverThrows() {
        Random r = new Random(7);
        byte[] good = concat(pictures().toArray(byte[][]::new));
        for (int i = 0; i < 3_000; i++) {
            byte[] d;
            if (i % 2 == 0) {
                d = good.clone();
                for (int k = r.nextInt(20); k >= 0; k--) {
                    d[r.nextInt(d.length)] = (byte) (r.nextBoolean() ? 0xFF : r.nextInt(256));
                }
            } else {
                d = new byte[r.nextInt(2000)];
                r.nextBytes(d);
                for (int k = 0; k + 1 < d.length; k += 1 + r.nextInt(50)) {
                    d[k] = (byte) 0xFF;
                    d[k + 1] = (byte) (0xC0 + r.nextInt(64));
                }
            }
            try {
                int last = 0;
                for (Range range : JpegStreamSplitter.split(ByteBuffer.wrap(d))) {
                    assertTrue(range.start() >= last && range.end() > range.start() && range.end() <= d.length);
                    last = range.end();
                }
            } catch (RuntimeException e) {
                fail("split threw " + e, e);
            }
        }
    }
}
