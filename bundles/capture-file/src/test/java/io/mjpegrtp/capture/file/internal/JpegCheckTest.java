package io.mjpegrtp.capture.file.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import org.junit.jupiter.api.Test;

class JpegCheckTest {
    @Test
    void acceptsABaselinePictureAndReadsItsSize() {
        byte[] jpeg = Jpegs.picture(40, 24, 1);
        JpegCheck.Result r = JpegCheck.walk(jpeg, 0, jpeg.length);
        assertTrue(r.ok(), r.problem());
        assertEquals(jpeg.length, r.end());
        assertEquals(40, r.width());
        assertEquals(24, r.height());
    }

    @Test
    void anEmbeddedThumbnailDoesNotEndThePicture() {
        byte[] jpeg = Jpegs.withExifThumbnail(Jpegs.picture(64, 48, 2), Jpegs.picture(16, 16, 3));
        JpegCheck.Result r = JpegCheck.walk(jpeg, 0, jpeg.length);
        assertTrue(r.ok(), r.problem());
        assertEquals(jpeg.length, r.end());
        assertEquals(64, r.width());
    }

    @Test
    void namesWhatIsWrong() {
        assertProblem(new byte[0], "empty");
        assertProblem("hello, not a picture\n".getBytes(StandardCharsets.US_ASCII), "does not start with SOI");
        assertProblem(Jpegs.truncated(Jpegs.picture(64, 48, 1)), "truncated");
        assertProblem(Arrays.copyOf(Jpegs.picture(64, 48, 1), 40), "truncated");
        assertProblem(Jpegs.progressive(64, 48), "progressive");
        assertProblem(new byte[] { (byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xD9 }, "before a frame header");
        byte[] corrupt = Jpegs.picture(64, 48, 1);
        corrupt[2] = 0x12; // the first marker after SOI
        assertProblem(corrupt, "no marker");
    }

    @Test
    void findsTheNextPictureStart() {
        byte[] data = Jpegs.concat(new byte[] { 1, (byte) 0xFF, (byte) 0xD8, 0 }, Jpegs.picture(8, 8, 1));
        assertEquals(4, JpegCheck.findSoi(data, 0, data.length));
        assertEquals(-1, JpegCheck.findSoi(data, 5, data.length));
    }

    private static void assertProblem(byte[] data, String expected) {
        JpegCheck.Result r = JpegCheck.walk(data, 0, data.length);
        assertFalse(r.ok(), "should be rejected: " + expected);
        assertTrue(r.problem().contains(expected), r.problem());
    }
}
